/// Cache's API is spoken in `Digest`s (keys, blobs, file states), so its clients get the Hashing module with
/// it instead of importing both in every file.
@_exported import Hashing
