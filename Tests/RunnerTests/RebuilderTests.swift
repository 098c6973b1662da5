import Cache
import Foundation
import Testing
@testable import Runner

/// The rebuild decision on its own: no file, no cache, only the recorded trace and the outputs' state.
@Suite struct RebuilderTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let key = Digest.of("key")
    let output = OutputEntry(path: "out.txt", digest: Digest.of("out"), mode: 0o644, size: 3)

    func record(key: Digest? = nil, inputs: [ActionInput]) -> ActionRecord {
        ActionRecord(key: key ?? self.key, stage: "s", cluster: "cluster-1", outputs: [output], inputs: inputs,
                     created: now, lastUsed: now, duration: 0)
    }

    func hit(mismatched: [OutputEntry] = [], restorable: Bool = true, validUntil: Date? = nil) -> RecordedResult {
        RecordedResult(record: record(inputs: []), mismatched: mismatched, restorable: restorable, validUntil: validUntil)
    }

    @Test func aHitWithItsOutputsOnDiskIsFreshAndNeverAsksForThePreviousRun() {
        let verdict = Rebuilder(force: false, now: now).decide(key: key, inputs: [], hit: hit()) {
            Issue.record("a fresh stage needs no previous run")
            return nil
        }
        #expect(verdict == .fresh)
    }

    @Test func aHitWithAlteredOutputsRestoresThem() {
        let verdict = Rebuilder(force: false, now: now).decide(key: key, inputs: [], hit: hit(mismatched: [output])) { nil }
        #expect(verdict == .restore([output]))
    }

    @Test func aHitWhoseBlobsAreGoneRunsAgain() {
        let verdict = Rebuilder(force: false, now: now).decide(key: key, inputs: [],
                                                              hit: hit(mismatched: [output], restorable: false)) { nil }
        #expect(verdict == .run(reasons: ["(cached output missing or damaged)"]))
    }

    /// A record that does not fit the stage's declared outputs is a miss whatever else it says.
    @Test func aDamagedRecordRunsAgain() {
        let verdict = Rebuilder(force: false, now: now).decide(key: key, inputs: [], hit: nil, recordDamaged: true) { nil }
        #expect(verdict == .run(reasons: ["(cached record damaged)"]))
    }

    @Test func anExpiredHitRunsAndSaysWhy() {
        let rebuilder = Rebuilder(force: false, now: now)
        #expect(rebuilder.decide(key: key, inputs: [], hit: hit(validUntil: now)) { nil } == .run(reasons: ["(cached output expired)"]))
        #expect(rebuilder.decide(key: key, inputs: [], hit: hit(validUntil: now.addingTimeInterval(1))) { nil } == .fresh)
    }

    @Test func aMissNamesTheInputsThatChanged() {
        let old = [ActionInput(name: "a", digest: Digest.of("1")), ActionInput(name: "gone", digest: Digest.of("2"))]
        let new = [ActionInput(name: "a", digest: Digest.of("3")), ActionInput(name: "added", digest: Digest.of("4"))]
        let verdict = Rebuilder(force: false, now: now).decide(key: key, inputs: new, hit: nil) {
            record(key: Digest.of("older"), inputs: old)
        }
        #expect(verdict == .run(reasons: ["a", "added (new input)", "gone (no longer an input)"]))
        let same = Rebuilder(force: false, now: now).decide(key: key, inputs: old, hit: nil) {
            record(key: Digest.of("older"), inputs: old)
        }
        #expect(same == .run(reasons: ["(stage version or parameters)"]))
    }

    @Test func forceRunsAnUnchangedStageAndSaysItWasForced() {
        let rebuilder = Rebuilder(force: true, now: now)
        #expect(!rebuilder.reusesResults)
        #expect(rebuilder.decide(key: key, inputs: [], hit: nil) { record(inputs: []) } == .run(reasons: ["(forced)"]))
        #expect(rebuilder.decide(key: key, inputs: [], hit: nil) { nil } == .run(reasons: ["(no previous run)"]))
    }
}
