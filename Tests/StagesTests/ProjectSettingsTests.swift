import Foundation
import Testing
import TestSupport
import YAML
@testable import Stages

/// The loader of talos-batch.yaml and the JSON schema shipped for editors know the same keys, and the
/// loader's values land where the layout looks for them.
@Suite struct ProjectSettingsTests {
    @Test func theLoaderAndTheJSONSchemaKnowTheSameKeys() throws {
        let url = TestPaths.packageRoot.appendingPathComponent("talos-batch.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(ProjectSettings.knownKeys))
        #expect(schema["additionalProperties"] as? Bool == false)
    }

    @Test func settingsPlaceTheFleetAndItsOutputs() throws {
        let root = URL(fileURLWithPath: "/project")
        let text = """
            ageKeyFiles: [keys/a.txt, /abs/b.txt]
            outputFolder: ./clusterconfig/
            clusters: fleet
            template: tpl/main.j2
            schematic: /shared/schematic.yaml.j2
            jobs: 3
            cacheFolder: build/cache

            """
        let settings = try ProjectSettings.parse(try YAML.parseDocument(Array(text.utf8), file: "talos-batch.yaml"),
                                                 root: root, file: "talos-batch.yaml")
        #expect(settings.ageKeyFiles.map(\.path) == ["/project/keys/a.txt", "/abs/b.txt"])
        #expect(settings.outputFolder.path == "clusterconfig")
        #expect(settings.jobs == 3)
        #expect(settings.cacheFolder?.path == "/project/build/cache")
        let layout = FleetLayout(root: root, settings: settings)
        #expect(layout.clusterFolder("7").path == "/project/fleet/cluster-7")
        #expect(layout.templates.path == "/project/tpl" && layout.talconfigTemplateName == "main.j2")
        #expect(layout.schematicTemplate.path == "/shared/schematic.yaml.j2")
        let cluster = ClusterContext(id: "7", fleet: layout)
        #expect(TalosconfigStage.output(cluster) == "clusterconfig/talosconfig")
        #expect(TalosconfigStage.output(ClusterContext(id: "7", fleet: FleetLayout(root: root))) == "talosconfig")
        // An empty file, or one of comments only, is the defaults.
        let empty = try ProjectSettings.parse(try YAML.parseDocument(Array("# nothing\n".utf8), file: "talos-batch.yaml"),
                                              root: root, file: "talos-batch.yaml")
        #expect(empty == ProjectSettings())
    }
}
