using Chat.Testing.Kubernetes.Cluster;
using Chat.Testing.Kubernetes.FakeApi;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Tests;

/// <summary>The kubelet's env resolution, Service DNS as text, and RBAC over the manifests' kinds.</summary>
public sealed class PodSpecTests
{
    private static readonly PodFields Pod = new("chat-ws-abc-12345", "chat", "uid-1", "127.1.0.12", "local", "chat-ws",
        new Dictionary<string, string> { ["app.kubernetes.io/component"] = "websocket" }, new Dictionary<string, string>());

    [Fact]
    public void Env_resolves_fieldRefs_configMapKeyRefs_image_env_and_earlier_variables()
    {
        var container = new V1Container
        {
            Name = "c",
            Env =
            [
                new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new V1EnvVar { Name = "POOL", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['app.kubernetes.io/component']" } } },
                new V1EnvVar { Name = "LEVEL", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "level" } } },
                new V1EnvVar { Name = "GREETING", Value = "$(POD) in $(POOL), $$(POD) and $(UNKNOWN)" },
            ],
        };
        var settings = new V1ConfigMap { Data = new Dictionary<string, string> { ["level"] = "Warning" } };

        var env = PodEnvironment.Resolve(container, Pod, n => n == "settings" ? settings : null, _ => null, new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = "8080" });

        Assert.Equal("chat-ws-abc-12345", env["POD"]);
        Assert.Equal("websocket", env["POOL"]);
        Assert.Equal("Warning", env["LEVEL"]);
        Assert.Equal("chat-ws-abc-12345 in websocket, $(POD) and $(UNKNOWN)", env["GREETING"]);
        Assert.Equal("8080", env["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public void A_missing_configMap_key_fails_the_container_unless_optional()
    {
        var container = new V1Container
        {
            Name = "c",
            Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "absent", Key = "k" } } }],
        };

        Assert.Throws<InvalidOperationException>(() => PodEnvironment.Resolve(container, Pod, _ => null, _ => null, new Dictionary<string, string>()));
        container.Env[0].ValueFrom.ConfigMapKeyRef.Optional = true;
        Assert.False(PodEnvironment.Resolve(container, Pod, _ => null, _ => null, new Dictionary<string, string>()).ContainsKey("X"));
    }

    [Theory]
    [InlineData("redis:6379", "127.2.0.5:40001")]
    [InlineData("redis.chat.svc.cluster.local:6379,abortConnect=false", "127.2.0.5:40001,abortConnect=false")]
    [InlineData("http://prometheus.chat.svc:9090", "http://prometheus.chat.svc:9090")]
    [InlineData("00:00:20", "00:00:20")]
    [InlineData("redis:6380", "redis:6380")]
    public void Service_names_with_their_ports_become_the_service_address(string value, string expected)
    {
        var dns = new ServiceDns((ns, name, port) => ns == "chat" && name == "redis" && port == 6379 ? "127.2.0.5:40001" : null);

        Assert.Equal(expected, dns.Rewrite(value, "chat"));
    }

    [Fact]
    public void Rbac_allows_what_a_binding_grants_in_its_namespace_and_nothing_else()
    {
        var rbac = new RbacAuthorizer(
        [
            new V1Role { Metadata = new V1ObjectMeta { Name = "chat-ws", NamespaceProperty = "chat" }, Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["patch"] }] },
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "chat-ws", NamespaceProperty = "chat" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "chat-ws" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "chat-ws" }],
            },
        ]);
        var user = RbacAuthorizer.ServiceAccountUser("chat", "chat-ws");

        Assert.True(rbac.Allows(new ApiRequest("PATCH", "", "pods", "patch", "chat", "/", user, "p")));
        Assert.False(rbac.Allows(new ApiRequest("PATCH", "", "pods", "patch", "other", "/", user, "p")));
        Assert.False(rbac.Allows(new ApiRequest("GET", "", "pods", "get", "chat", "/", user, "p")));
        Assert.False(rbac.Allows(new ApiRequest("PATCH", "", "pods", "patch", "chat", "/", RbacAuthorizer.ServiceAccountUser("chat", "default"), "p")));
    }
}
