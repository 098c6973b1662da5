import Cache
import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc

/// An error as a person reads it: "path: No space left on device", never a Foundation error object
/// (`Error Domain=NSPOSIXErrorDomain Code=28 …`). Every message the runner and the commands build from an
/// error they did not make themselves goes through `text`.
public enum ErrorMessage {
    public static func text(_ error: any Error) -> String {
        switch error {
        case let error as Diagnostic: return error.description
        case let error as DiagnosticList: return error.description
        case let error as CacheError: return error.description
        case let error as RegularFileError: return error.description
        case let error as FileSystemError: return error.description
        case let cocoa as CocoaError:
            // An NSError in the POSIX domain (made where full Foundation is loaded) casts to CocoaError too; its code is an errno.
            return foundation(cocoa, errno: error._domain == "NSPOSIXErrorDomain" ? Int32(error._code) : nil)
        case let error as POSIXError: return String(cString: strerror(error.code.rawValue))
        default: break
        }
        // Anything else prints as itself.
        return String(describing: error)
    }

    /// A Foundation error's path and system reason (from its POSIX code, or the one underneath it).
    private static func foundation(_ error: CocoaError, errno: Int32?) -> String {
        let path = error.filePath ?? error.url?.path
        let prefix = path.map { "\($0): " } ?? ""
        if let errno { return prefix + String(cString: strerror(errno)) }
        if let underlying = error.underlying as? POSIXError {
            return prefix + String(cString: strerror(underlying.code.rawValue))
        }
        if let code = posixCode(ofCocoaCode: error.code.rawValue) { return prefix + String(cString: strerror(code)) }
        return prefix + "file operation failed (Foundation code \(error.code.rawValue))"
    }

    /// The system error a Foundation file error code stands for, where there is one.
    private static func posixCode(ofCocoaCode code: Int) -> Int32? {
        switch CocoaError.Code(rawValue: code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
        case .fileReadNoPermission, .fileWriteNoPermission: return EACCES
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteVolumeReadOnly: return EROFS
        case .fileWriteFileExists: return EEXIST
        case .fileReadTooLarge: return EFBIG
        default: return nil
        }
    }
}

/// A failed system call on a path, worded as `path: No space left on device`.
public struct FileSystemError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32

    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    public var description: String { "\(path): \(String(cString: strerror(code)))" }
}

// `localizedDescription` of the tool's own errors is their wording, never "The operation could not be
// completed. (Runner.FileSystemError error 1.)" (issue 19).
extension FileSystemError: LocalizedError {
    public var errorDescription: String? { description }
}

extension PartialRenameError: LocalizedError {
    public var errorDescription: String? { description }
}
