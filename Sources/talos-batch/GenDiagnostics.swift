import ArgumentParser
import Diagnostics
import Foundation
import Runner

/// Runs a generation command body, printing input errors as `file:line:col: error: …` and exiting 1.
func runReportingDiagnostics(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let diagnostic as Diagnostic {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        throw ExitCode(1)
    } catch let list as DiagnosticList {
        FileHandle.standardError.write(Data((list.description + "\n").utf8))
        throw ExitCode(1)
    } catch let error as CLIError {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("error: \(ErrorMessage.text(error))\n".utf8))
        throw ExitCode(1)
    }
}

func printWarnings(_ warnings: [Diagnostic]) {
    for warning in warnings {
        FileHandle.standardError.write(Data((warning.description + "\n").utf8))
    }
}
