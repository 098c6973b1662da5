import Stages

/// The DAG of a regen: for every cluster, one task per stage (after its upstream stages) and a final
/// commit task that writes the cluster's outputs once all its stages succeeded.
public struct BuildGraph: Sendable {
    public struct Task: Sendable {
        public var cluster: String
        /// Index into the stage list; nil for the cluster's commit task.
        public var stage: Int?
        public var dependencies: [Int]
    }

    public var tasks: [Task] = []
    public let stageNames: [String]
    public let stageUpstream: [[String]]

    public init(clusters: [String], stages: [any Stage]) {
        stageNames = stages.map(\.name)
        stageUpstream = stages.map(\.upstream)
        let perCluster = stages.count + 1
        for (clusterIndex, cluster) in clusters.enumerated() {
            let base = clusterIndex * perCluster
            for (stageIndex, stage) in stages.enumerated() {
                let deps = stage.upstream.compactMap { name in stages.firstIndex { $0.name == name }.map { base + $0 } }
                tasks.append(Task(cluster: cluster, stage: stageIndex, dependencies: deps))
            }
            tasks.append(Task(cluster: cluster, stage: nil, dependencies: Array(base..<(base + stages.count))))
        }
    }
}
