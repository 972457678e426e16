using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>The ingress controller's, the chat-ws pods' and Prometheus's RBAC against what each of them calls.</summary>
public sealed class RbacTests
{
    private const string Namespace = "chat";
    private const string ControllerAccount = "chat-ingress-controller";

    /// <summary>Prometheus's kubernetes_sd_configs with role pod, restricted to its own namespace.</summary>
    private static readonly Permission[] PrometheusNeeds =
    [
        new("", "pods", "get", ClusterWide: false),
        new("", "pods", "list", ClusterWide: false),
        new("", "pods", "watch", ClusterWide: false),
    ];

    /// <summary>The chat server's own calls (its pod-deletion-cost), read off its code.</summary>
    private static readonly Permission[] ChatWsNeeds =
        [.. Chat.Server.Balancing.PodDeletionCostPermissions.Required.Select(p => new Permission(p.ApiGroup, p.Resource, p.Verb, ClusterWide: false))];

    [Fact]
    public async Task The_controller_is_granted_exactly_what_its_code_calls()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.Empty(Rbac.Find(objects, Namespace, ControllerAccount, ControllerNeeds.Required));
    }

    [Fact]
    public async Task The_controller_deployment_runs_as_its_service_account()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.Equal(ControllerAccount, objects.Single("Deployment", KindCluster.ControllerDeployment).PodTemplate()!["spec"]!["serviceAccountName"]!.ToString());
    }

    [Fact]
    public async Task A_missing_status_permission_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var rules = objects.Single("ClusterRole", ControllerAccount)["rules"]!.AsArray();
        rules.Remove(rules.First(r => r!["resources"]!.AsArray().Any(x => x!.ToString() == "ingresses/status")));

        Assert.Contains(Rbac.Find(objects, Namespace, ControllerAccount, ControllerNeeds.Required), p => p.Contains("lacks patch networking.k8s.io/ingresses/status"));
    }

    [Fact]
    public async Task A_wildcard_or_an_extra_grant_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var rules = objects.Single("ClusterRole", ControllerAccount)["rules"]!.AsArray();
        rules.Add(System.Text.Json.Nodes.JsonNode.Parse("""{"apiGroups":[""],"resources":["secrets"],"verbs":["*"]}"""));
        rules.Add(System.Text.Json.Nodes.JsonNode.Parse("""{"apiGroups":["apps"],"resources":["deployments"],"verbs":["list"]}"""));

        var problems = Rbac.Find(objects, Namespace, ControllerAccount, ControllerNeeds.Required);

        Assert.Contains(problems, p => p.Contains("granted a wildcard"));
        Assert.Contains(problems, p => p.Contains("more than its code needs: list apps/deployments"));
    }

    [Fact]
    public async Task A_binding_to_a_missing_role_or_another_account_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("RoleBinding", ControllerAccount)["roleRef"]!["name"] = "chat-ingress";
        objects.Single("ClusterRoleBinding", ControllerAccount)["subjects"]![0]!["name"] = "default";

        var problems = Rbac.Find(objects, Namespace, ControllerAccount, ControllerNeeds.Required);

        Assert.Contains(problems, p => p.Contains("roleRef Role chat-ingress does not exist"));
        Assert.Contains(problems, p => p.Contains("lacks list networking.k8s.io/ingresses"));
    }

    [Fact]
    public async Task The_chat_ws_pods_may_patch_pods_of_their_namespace_and_nothing_else()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.Empty(Rbac.Find(objects, Namespace, "chat-ws", ChatWsNeeds));
        var spec = objects.Single("Deployment", "chat-ws").PodTemplate()!["spec"]!;
        Assert.Equal("chat-ws", spec["serviceAccountName"]!.ToString());
        Assert.True(spec["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_chat_ws_grant_beyond_its_own_pod_patch_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Role", "chat-ws")["rules"]![0]!["verbs"] = new System.Text.Json.Nodes.JsonArray("get", "patch", "delete");

        Assert.Contains(Rbac.Find(objects, Namespace, "chat-ws", ChatWsNeeds), p => p.Contains("more than its code needs: delete pods"));
    }

    [Fact]
    public async Task The_chat_http_pods_get_no_token()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.False(objects.Single("Deployment", "chat-http").PodTemplate()!["spec"]!["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Prometheus_may_list_and_watch_pods_of_its_namespace_only()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.Empty(Rbac.Find(objects, Namespace, "prometheus", PrometheusNeeds));
    }

    [Fact]
    public async Task Prometheus_with_a_cluster_wide_grant_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("RoleBinding", "prometheus")["kind"] = "ClusterRoleBinding";
        objects.Single("Role", "prometheus")["kind"] = "ClusterRole";
        objects.Single("ClusterRoleBinding", "prometheus")["roleRef"]!["kind"] = "ClusterRole";

        Assert.Contains(Rbac.Find(objects, Namespace, "prometheus", PrometheusNeeds), p => p.Contains("more than its code needs: list pods (cluster-wide)"));
    }
}
