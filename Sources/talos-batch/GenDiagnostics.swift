import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Runner
import SystemKit

/// Runs a generation command body, printing input errors as `file:line:col: error: …` and exiting 1.
func runReportingDiagnostics(color: ColorMode = .auto, _ body: () throws -> Void) throws {
    let style = TerminalStyle(color, descriptor: STDERR_FILENO)
    do {
        try body()
    } catch let diagnostic as Diagnostic {
        DiagnosticPrinter.print([diagnostic], style: style)
        throw ExitCode(1)
    } catch let list as DiagnosticList {
        DiagnosticPrinter.print(list.diagnostics, style: style)
        throw ExitCode(1)
    } catch let error as CLIError {
        StandardStream.standardError.write(Data((style.errorLine(error.description) + "\n").utf8))
        throw ExitCode(1)
    } catch let exit as ExitCode {
        throw exit
    } catch {
        StandardStream.standardError.write(Data((style.errorLine("error: \(ErrorMessage.text(error))") + "\n").utf8))
        throw ExitCode(1)
    }
}

func printWarnings(_ warnings: [Diagnostic], color: ColorMode = .auto) {
    DiagnosticPrinter.print(warnings, style: TerminalStyle(color, descriptor: STDERR_FILENO))
}
