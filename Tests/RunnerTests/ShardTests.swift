import Testing
@testable import Runner

@Suite struct ShardTests {
    @Test func parses() {
        #expect(Shard("1/3")?.index == 1)
        #expect(Shard("3/3")?.count == 3)
        #expect(Shard("0/3") == nil)
        #expect(Shard("4/3") == nil)
        #expect(Shard("1/0") == nil)
        #expect(Shard("x") == nil)
    }

    @Test func shardsCoverEveryClusterExactlyOnce() throws {
        let ids = (100..<400).map(String.init)
        for count in [1, 2, 3, 7] {
            let shards = try (1...count).map { try #require(Shard("\($0)/\(count)")) }
            for id in ids {
                #expect(shards.filter { $0.contains(id) }.count == 1)
            }
            // Stable hashing spreads clusters over every shard.
            for shard in shards {
                #expect(ids.contains(where: shard.contains))
            }
        }
    }

    @Test func assignmentIsStable() {
        // FNV-1a 64 of "101" — a constant, so CI matrices never reshuffle between releases.
        #expect(Shard.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
