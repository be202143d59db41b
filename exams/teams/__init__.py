"""Teams: the rows of their boards (`selectors`) and the pools their open exams hold (`pools`)."""
