print("lessonbook")
