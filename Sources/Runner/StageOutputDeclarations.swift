import Cache
import Stages

/// A stage that says which outputs it writes and with which modes (issue 19): a cached record is checked
/// against this before anything is restored from it, so a record from the cache folder can never choose
/// where a file goes or its mode.
public protocol DeclaresOutputs {
    var outputDeclaration: OutputDeclaration { get }
}

extension Stage {
    /// What the stage declares; stages that declare nothing get plain paths with modes 0600 or 0644.
    public var declaredOutputs: OutputDeclaration {
        (self as? any DeclaresOutputs)?.outputDeclaration ?? .plainFiles
    }
}

extension ValidateStage: DeclaresOutputs {
    public var outputDeclaration: OutputDeclaration { OutputDeclaration([.file(Self.output, mode: 0o644)]) }
}

extension RenderStage: DeclaresOutputs {
    public var outputDeclaration: OutputDeclaration {
        OutputDeclaration([.file(Self.talconfigOutput, mode: 0o644), .file(Self.schematicOutput, mode: 0o644)])
    }
}

extension GenconfigStage: DeclaresOutputs {
    /// One machine config per node (0600) and the folder's .gitignore.
    public var outputDeclaration: OutputDeclaration {
        OutputDeclaration([.file("\(Self.folder)/.gitignore", mode: 0o600), .anyFile(in: Self.folder, mode: 0o600)])
    }
}

extension AdminCertificateStage: DeclaresOutputs {
    public var outputDeclaration: OutputDeclaration { OutputDeclaration([.file(Self.output, mode: 0o600)]) }
}

extension TalosconfigStage: DeclaresOutputs {
    public var outputDeclaration: OutputDeclaration { OutputDeclaration([.file(Self.output, mode: 0o600)]) }
}
