import FoundationEssentials
import Glibc
import Stages
import SystemKit

/// `graph --format dot|json`: the stages of the selected clusters and what they read.
public struct GraphExport {
    public let fleet: Fleet
    public let stages: [any Stage]
    public let clusters: [String]

    public init(fleet: Fleet, stages: [any Stage], clusters: [String]) {
        self.fleet = fleet
        self.stages = stages
        self.clusters = clusters
    }

    /// Graphviz: one cluster subgraph per cluster; files are boxes, stages ellipses, outputs notes.
    public func dot() -> String {
        var lines = ["digraph talos_batch {", "  rankdir=LR;", "  node [fontname=\"Helvetica\", fontsize=10];"]
        var sharedFiles: Set<String> = []
        for id in clusters {
            let cluster = fleet.context(id)
            lines.append("  subgraph \"cluster_\(id)\" {")
            lines.append("    label=\"\(cluster.name)\";")
            for stage in stages {
                let stageNode = "\(id)/\(stage.name)"
                lines.append("    \(quote(stageNode)) [label=\(quote(stage.name)), shape=ellipse];")
                for input in stage.plan(for: cluster).inputs {
                    switch input.source {
                    case .file(let path):
                        let shown = relative(path)
                        if path.hasPrefix(cluster.folderPath + "/") {
                            lines.append("    \(quote(shown)) [label=\(quote(URL(fileURLWithPath: path).lastPathComponent)), shape=box];")
                        } else {
                            sharedFiles.insert(shown)
                        }
                        lines.append("    \(quote(shown)) -> \(quote(stageNode));")
                    case .upstream(let upstream, let output):
                        lines.append("    \(quote("\(id)/\(upstream)")) -> \(quote(stageNode)) [label=\(quote(output))];")
                    }
                }
            }
            lines.append("  }")
        }
        for file in sharedFiles.sorted() {
            lines.append("  \(quote(file)) [shape=box, style=filled, fillcolor=\"#eeeeee\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"nodes": [...], "edges": [...]}` with stable ids.
    public func json() -> String {
        var nodes: [[String: Any]] = []
        var edges: [[String: Any]] = []
        var files: Set<String> = []
        for id in clusters {
            let cluster = fleet.context(id)
            for stage in stages {
                let plan = stage.plan(for: cluster)
                let stageNode = "\(id)/\(stage.name)"
                nodes.append(["id": stageNode, "kind": "stage", "cluster": id, "stage": stage.name,
                              "version": stage.version,
                              "parameters": plan.parameters.map { ["name": $0.name, "value": $0.value] }])
                for input in plan.inputs {
                    switch input.source {
                    case .file(let path):
                        files.insert(relative(path))
                        edges.append(["from": relative(path), "to": stageNode, "input": input.name])
                    case .upstream(let upstream, let output):
                        edges.append(["from": "\(id)/\(upstream)", "to": stageNode, "input": input.name, "output": output])
                    }
                }
            }
        }
        nodes += files.sorted().map { ["id": $0, "kind": "file"] }
        let text = JSONObjectWriter.text(["nodes": nodes, "edges": edges], options: [.prettyPrinted, .sortedKeys]) ?? ""
        return text + "\n"
    }

    private func relative(_ path: String) -> String {
        let root = fleet.layout.root.path.hasSuffix("/") ? fleet.layout.root.path : fleet.layout.root.path + "/"
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    private func quote(_ text: String) -> String {
        "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }
}
