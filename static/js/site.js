// Lambda Study: small behaviours that keep working without it (every htmx link has an href).
"use strict";
