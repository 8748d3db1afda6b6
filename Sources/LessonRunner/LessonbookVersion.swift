/// The version of lessonbook, printed by `--version` and part of every snapshot key (a new
/// version may compute differently, so its snapshots are never reused).
public enum LessonbookVersion {
    public static let current = "0.1.0"
}
