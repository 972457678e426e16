using k8s.Models;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>Builds metav1.Conditions with the object's generation as observedGeneration.</summary>
public static class StatusConditions
{
    public static V1Condition Make(string type, bool status, string reason, string message, long generation) => new()
    {
        Type = type,
        Status = status ? "True" : "False",
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
        LastTransitionTime = DateTime.UtcNow,
    };
}
