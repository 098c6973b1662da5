import YAML

extension YAMLScalar {
    /// The value Go's yaml.v3 decodes into a `bool` field (Talos's and talhelper's config structs): the
    /// YAML booleans (plain), and for compatibility with YAML 1.1 the strings `y`, `yes`, `on`, `n`, `no`,
    /// `off` in their three capitalisations, quoted or not (yaml.v3's decode.go looks at the resolved string,
    /// so a quoted `"true"` is refused while a quoted `"yes"` is taken). Nil when yaml.v3 would refuse it.
    var goBool: Bool? {
        if kind == .bool { return text.lowercased() == "true" }
        guard kind == .string else { return nil }
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }
}
