import Cache
import Stages

/// A stage that says which outputs it writes and with which modes (issue 19): a cached record is checked
/// against this before anything is restored from it, so a record from the cache folder can never choose
/// where a file goes or its mode. The output folder is a project setting, so the declaration is per cluster.
public protocol DeclaresOutputs {
    func outputDeclaration(for cluster: ClusterContext) -> OutputDeclaration
}

extension Stage {
    /// What the stage declares; stages that declare nothing get plain paths with modes 0600 or 0644.
    public func declaredOutputs(for cluster: ClusterContext) -> OutputDeclaration {
        (self as? any DeclaresOutputs)?.outputDeclaration(for: cluster) ?? .plainFiles
    }
}

extension ValidateStage: DeclaresOutputs {
    public func outputDeclaration(for cluster: ClusterContext) -> OutputDeclaration {
        OutputDeclaration([.file(Self.output, mode: 0o644)])
    }
}

extension RenderStage: DeclaresOutputs {
    public func outputDeclaration(for cluster: ClusterContext) -> OutputDeclaration {
        OutputDeclaration([.file(Self.talconfigOutput, mode: 0o644), .file(Self.schematicOutput, mode: 0o644)])
    }
}

extension GenconfigStage: DeclaresOutputs {
    /// One machine config per node (0600) and the folder's .gitignore, directly in the output folder — never
    /// one of the cluster folder's other files (inputs, other stages' outputs), which matters when the
    /// output folder is the cluster folder itself.
    public func outputDeclaration(for cluster: ClusterContext) -> OutputDeclaration {
        let folder = cluster.fleet.outputFolder
        let excluded = Self.clusterFolderFiles.union([AdminCertificateStage.fileName, TalosconfigStage.fileName])
        return OutputDeclaration([.file(folder.file(Self.gitignoreName), mode: 0o600),
                                  .anyFile(in: folder.path, mode: 0o600, excluding: excluded)])
    }
}

extension AdminCertificateStage: DeclaresOutputs {
    public func outputDeclaration(for cluster: ClusterContext) -> OutputDeclaration {
        OutputDeclaration([.file(Self.output(cluster), mode: 0o600)])
    }
}

extension TalosconfigStage: DeclaresOutputs {
    public func outputDeclaration(for cluster: ClusterContext) -> OutputDeclaration {
        OutputDeclaration([.file(Self.output(cluster), mode: 0o600)])
    }
}
