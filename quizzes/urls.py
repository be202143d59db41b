from django.urls import path

from .views import course, instructor, quiz, review, study

urlpatterns = [
    path("", course.home, name="home"),
    path("notes/", course.topic_list, name="topic_list"),
    path("notes/<slug:slug>/", course.note, name="note"),
    path("calculator/", course.calculator, name="calculator"),
    path("exercises/<slug:uid>/", course.exercise, name="exercise"),
    path("exercises/<slug:uid>/new/", course.exercise_new, name="exercise_new"),
    path("review/", review.review, name="review"),
    path("review/reveal/", review.reveal, name="review_reveal"),
    path("review/answer/", review.answer, name="review_answer"),
    path("review/grade/", review.grade, name="review_grade"),
    path("review/undo/", review.undo, name="review_undo"),
    path("quiz/", quiz.quiz_start, name="quiz_start"),
    path("quiz/<int:pk>/", quiz.quiz_page, name="quiz"),
    path("quiz/<int:pk>/answer/<int:position>/", quiz.quiz_answer, name="quiz_answer"),
    path("quiz/<int:pk>/missed/", quiz.quiz_missed, name="quiz_missed"),
    path("dashboard/", study.dashboard, name="dashboard"),
    path("settings/", study.study_settings, name="study_settings"),
    path("settings/fsrs/<slug:action>/", study.fsrs_parameters, name="fsrs_parameters"),
    path("leeches/", study.leeches, name="leeches"),
    path("leeches/<int:pk>/<slug:action>/", study.leech_action, name="leech_action"),
    path("instructor/banks/", instructor.banks, name="instructor_banks"),
    path("instructor/banks/preview/", instructor.bank_preview, name="bank_preview"),
    path("instructor/banks/download/", instructor.bank_download, name="bank_download"),
    path("instructor/banks/moodle/", instructor.bank_moodle_xml, name="bank_moodle_xml"),
    path("instructor/upload/", instructor.upload, name="bank_upload"),
    path("instructor/upload/<int:pk>/apply/", instructor.upload_apply, name="bank_upload_apply"),
    path("instructor/upload/<int:pk>/cancel/", instructor.upload_cancel, name="bank_upload_cancel"),
]
