import ArgumentParser

/// `--color auto|always|never` for every command that prints statuses or errors.
struct ColorOptions: ParsableArguments {
    @Option(help: "Colour statuses and errors: auto (on a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorMode = .auto
}
