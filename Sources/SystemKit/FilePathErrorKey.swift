/// Foundation's `NSFilePathErrorKey`, which FoundationEssentials does not export: the userInfo key under
/// which a `CocoaError` carries its path (`CocoaError.filePath` reads it).
public let NSFilePathErrorKey = "NSFilePath"
