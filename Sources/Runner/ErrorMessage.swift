import Cache
import Diagnostics
import FileAccess
import Foundation

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
        case let error as CocoaError: return foundation(error as NSError)
        default: break
        }
        let object = error as NSError
        if object.domain == NSPOSIXErrorDomain || object.domain == NSCocoaErrorDomain { return foundation(object) }
        // Anything else prints as itself, unless that is a Foundation dump.
        let text = String(describing: error)
        return text.hasPrefix("Error Domain=") ? object.localizedDescription : text
    }

    /// A Foundation error's path and system reason (from its POSIX code, or the one underneath it).
    private static func foundation(_ object: NSError) -> String {
        let path = object.userInfo[NSFilePathErrorKey] as? String ?? (object.userInfo[NSURLErrorKey] as? URL)?.path
        let prefix = path.map { "\($0): " } ?? ""
        if object.domain == NSPOSIXErrorDomain { return prefix + String(cString: strerror(Int32(object.code))) }
        if let underlying = object.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return prefix + String(cString: strerror(Int32(underlying.code)))
        }
        if let code = posixCode(ofCocoaCode: object.code) { return prefix + String(cString: strerror(code)) }
        return prefix + "file operation failed (Foundation code \(object.code))"
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
