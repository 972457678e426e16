using System.ComponentModel.DataAnnotations;
using Chat.IngressController.Kubernetes;

namespace Chat.IngressController.Hosting;

/// <summary>
/// Settings of the controller, section <c>IngressController</c> (env <c>IngressController__Key</c>).
/// Validated at start-up.
/// </summary>
public sealed class IngressControllerOptions : IValidatableObject
{
    public const string SectionName = "IngressController";

    /// <summary>The <c>spec.controller</c> of the IngressClasses this controller serves.</summary>
    [Required]
    public string ControllerName { get; set; } = "chat.io/ingress-controller";

    /// <summary>
    /// The IngressClass name this controller answers to, also matched against the legacy
    /// <c>kubernetes.io/ingress.class</c> annotation. Any IngressClass whose spec.controller is ours also counts.
    /// </summary>
    [Required]
    public string ClassName { get; set; } = "chat";

    /// <summary>Serve the Gateway API (GatewayClass, Gateway, HTTPRoute, ReferenceGrant, ConnectionPolicy) as well.</summary>
    public bool GatewayApi { get; set; } = true;

    /// <summary>The <c>spec.controllerName</c> of the GatewayClasses this controller serves.</summary>
    [Required]
    [RegularExpression(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$",
        ErrorMessage = "GatewayControllerName must be a domain-prefixed path like chat.io/gateway-controller.")]
    public string GatewayControllerName { get; set; } = "chat.io/gateway-controller";

    /// <summary>Serve Ingresses without any class (like ingress-nginx's --watch-ingress-without-class).</summary>
    public bool WatchIngressWithoutClass { get; set; }

    /// <summary>Namespaces to watch (Ingress, Service, EndpointSlice, Secret); empty = all namespaces.</summary>
    public string[] Namespaces { get; set; } = [];

    /// <summary>"namespace/name" (or "name" in the controller's namespace) of the controller's own Service; its address is written into Ingress status.</summary>
    public string? PublishService { get; set; }

    /// <summary>"namespace/name" (or "name" in the controller's namespace) of the ConfigMap with global settings (upstream-keepalive-*, timeouts, load-balance).</summary>
    public string? ConfigMap { get; set; }

    /// <summary>Name of the coordination.k8s.io Lease used for leader election (only the leader writes status).</summary>
    [Required]
    public string LeaseName { get; set; } = "chat-ingress-controller-leader";

    /// <summary>Namespace of the Lease and of this pod, and of PublishService and ConfigMap given by name only (env POD_NAMESPACE is the usual source).</summary>
    [Required]
    public string LeaseNamespace { get; set; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";

    /// <summary>This replica's identity in the Lease (env POD_NAME is the usual source).</summary>
    [Required]
    public string Identity { get; set; } = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    [Range(1, 3600)]
    public int LeaseDurationSeconds { get; set; } = 15;

    [Range(1, 3600)]
    public int LeaseRenewDeadlineSeconds { get; set; } = 10;

    [Range(1, 3600)]
    public int LeaseRetryPeriodSeconds { get; set; } = 2;

    /// <summary>API server URL without authentication (tests, kubectl proxy); empty = in-cluster config or kubeconfig.</summary>
    public string? ApiServer { get; set; }

    /// <summary>Address the listeners bind to.</summary>
    [Required]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Plain HTTP traffic port.</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>HTTPS traffic port (certificates from Ingress TLS Secrets, chosen by SNI); 0 = no HTTPS listener.</summary>
    [Range(0, 65535)]
    public int HttpsPort { get; set; } = 8443;

    /// <summary>The port clients see for HTTPS, used in ssl-redirect locations (the Service's 443).</summary>
    [Range(1, 65535)]
    public int HttpsRedirectPort { get; set; } = 443;

    /// <summary>
    /// Pod ports for Gateways with their own address, "first-last" (e.g. "9000-9099"): such a Gateway gets a
    /// LoadBalancer Service of its own (in the controller's namespace, selecting the controller's pods) whose
    /// ports are its listener ports, each leading to a pod port of this range. Empty = every Gateway shares the
    /// controller's address (<see cref="HttpPort"/>, <see cref="HttpsPort"/>). A Gateway asking in spec.addresses
    /// for the controller's own Service (NamedAddress with PublishService's name, or one of its addresses) shares it.
    /// </summary>
    public string? GatewayPorts { get; set; }

    /// <summary>Port of /healthz, /readyz and /metrics (ingress-nginx uses 10254 too).</summary>
    [Range(0, 65535)]
    public int HealthPort { get; set; } = 10254;

    /// <summary>
    /// At most one config swap per window: a change after a quiet window is applied at once, further changes
    /// arriving within the window are applied together when it ends.
    /// </summary>
    [Range(0, 60000)]
    public int DebounceMilliseconds { get; set; } = 100;

    /// <summary>Every informer re-lists this often, a safety net for missed events.</summary>
    [Range(10, 86400)]
    public int ResyncSeconds { get; set; } = 600;

    /// <summary>
    /// On SIGTERM the controller turns not ready, refuses new WebSockets and, after this delay, closes the ones it
    /// proxies at random moments within <see cref="DrainWindowSeconds"/>: clients reconnect through another replica.
    /// </summary>
    [Range(0, 600)]
    public double DrainDelaySeconds { get; set; } = 1;

    /// <summary>The window over which the proxied WebSockets are closed on SIGTERM (jittered). Default 10 s.</summary>
    [Range(0, 600)]
    public double DrainWindowSeconds { get; set; } = 10;

    /// <summary>Default time a serving-but-terminating endpoint stays a destination for affinity-bound requests.</summary>
    [Range(0, 86400)]
    public int DefaultDrainSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseRenewDeadlineSeconds >= LeaseDurationSeconds)
        {
            yield return new ValidationResult("LeaseRenewDeadlineSeconds must be shorter than LeaseDurationSeconds.");
        }

        foreach (var (key, value) in new[] { (nameof(PublishService), PublishService), (nameof(ConfigMap), ConfigMap) })
        {
            if (!string.IsNullOrEmpty(value) && ObjectKey.TryParse(value, LeaseNamespace) is null)
            {
                yield return new ValidationResult($"{key} must be \"name\" or \"namespace/name\", got \"{value}\".", [key]);
            }
        }

        if (!System.Net.IPAddress.TryParse(BindAddress, out _))
        {
            yield return new ValidationResult($"BindAddress must be an IP address, got \"{BindAddress}\".", [nameof(BindAddress)]);
        }

        if (!string.IsNullOrEmpty(GatewayPorts))
        {
            if (PortRange.TryParse(GatewayPorts) is not { } range)
            {
                yield return new ValidationResult($"GatewayPorts must be \"first-last\" with 1 <= first <= last <= 65535, got \"{GatewayPorts}\".", [nameof(GatewayPorts)]);
            }
            else if (new[] { HttpPort, HttpsPort, HealthPort }.FirstOrDefault(range.Contains) is var taken and > 0)
            {
                yield return new ValidationResult($"GatewayPorts {range} contains port {taken}, which HttpPort, HttpsPort or HealthPort uses.", [nameof(GatewayPorts)]);
            }
            else if (string.IsNullOrEmpty(PublishService))
            {
                yield return new ValidationResult("GatewayPorts needs PublishService: the Gateways' own Services select the pods that the controller's Service selects.", [nameof(GatewayPorts)]);
            }
        }

        if (!string.IsNullOrEmpty(ApiServer) && !Uri.TryCreate(ApiServer, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"ApiServer must be an absolute URL, got \"{ApiServer}\".", [nameof(ApiServer)]);
        }
    }
}
