import Foundation

/// The process's CPU time so far, user + system: the in-process cases report CPU, not wall time, because
/// this machine's wall clock is shared with other jobs.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Runs `pass` (one pass over `clusters` clusters, returning a checksum of what it produced, so the work
/// cannot be skipped) `runs` times; prints each run's CPU time per cluster, then the cluster count, the
/// median and the last run's checksum — the fleet cases' shared output format.
func reportCPUPerCluster(runs: Int, clusters: Int, pass: () throws -> Int) throws {
    var perCluster: [Double] = []
    var checksum = 0
    for _ in 0..<runs {
        let start = processCPUSeconds()
        checksum = try pass()
        let seconds = (processCPUSeconds() - start) / Double(clusters)
        perCluster.append(seconds)
        print(String(format: "cpu_ms_per_cluster %.4f", seconds * 1000))
    }
    perCluster.sort()
    print("clusters \(clusters), runs \(runs)")
    print(String(format: "median_cpu_ms_per_cluster %.4f", perCluster[perCluster.count / 2] * 1000))
    print("checksum \(checksum)")
}
