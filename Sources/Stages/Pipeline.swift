/// The stages of a cluster's regeneration, in dependency order.
public enum Pipeline {
    public static var stages: [any Stage] {
        [ValidateStage(), RenderStage(), GenconfigStage(), AdminCertificateStage(), TalosconfigStage()]
    }
}
