using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;
using Chat.IngressController.Translation;

namespace Chat.Deploy.Tests;

/// <summary>Cross-object checks of the rendered k8s folder, each with a broken manifest that it catches.</summary>
public sealed class ConsistencyTests
{
    [Fact]
    public async Task Selectors_and_target_ports_match_pod_templates()
    {
        Assert.Empty(Selectors.Find(await Rendered.KubernetesAsync()));
    }

    [Fact]
    public async Task A_service_selector_with_a_typo_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Service", "chat-ws")["spec"]!["selector"]!["app.kubernetes.io/component"] = "websockets";

        Assert.Contains(Selectors.Find(objects), p => p.StartsWith("Service chat/chat-ws: selector", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_service_target_port_that_no_container_declares_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Service", "chat")["spec"]!["ports"]![0]!["targetPort"] = "web";

        Assert.Contains(Selectors.Find(objects), p => p.Contains("targetPort web is not a container port of Deployment chat/chat-http"));
    }

    [Fact]
    public async Task A_disruption_budget_that_selects_nothing_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("PodDisruptionBudget", "chat-ws")["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"] = "chat";

        Assert.Contains(Selectors.Find(objects), p => p.StartsWith("PodDisruptionBudget chat/chat-ws", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingress_probe_and_scrape_ports_exist()
    {
        Assert.Empty(PortReferences.Find(await Rendered.KubernetesAsync()));
    }

    [Fact]
    public async Task An_ingress_backend_on_a_port_the_service_lacks_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Ingress", "chat")["spec"]!["rules"]![0]!["http"]!["paths"]![2]!["backend"]!["service"]!["port"]!["number"] = 8080;

        Assert.Contains(PortReferences.Find(objects), p => p.Contains("backend port 8080 is not a port of Service chat/chat"));
    }

    [Fact]
    public async Task An_ingress_backend_naming_a_missing_service_or_class_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var ingress = objects.Single("Ingress", "chat");
        ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!["name"] = "chat-websocket";
        ingress["spec"]!["ingressClassName"] = "nginx";

        var problems = PortReferences.Find(objects);

        Assert.Contains(problems, p => p.Contains("backend Service chat-websocket does not exist"));
        Assert.Contains(problems, p => p.Contains("ingressClassName nginx names no IngressClass"));
    }

    [Fact]
    public async Task A_probe_on_an_undeclared_port_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "chat-ws").PodTemplate().Containers().First()["readinessProbe"]!["httpGet"]!["port"] = "monitoring";

        Assert.Contains(PortReferences.Find(objects), p => p.Contains("readinessProbe port monitoring is not a container port"));
    }

    [Fact]
    public async Task A_scrape_annotation_on_a_port_the_pod_lacks_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "chat-http").PodTemplate()!["metadata"]!["annotations"]![PortReferences.PortAnnotation] = "9090";

        Assert.Contains(PortReferences.Find(objects), p => p.Contains("Deployment chat/chat-http: prometheus.io/port \"9090\""));
    }

    [Fact]
    public async Task Autoscalers_target_existing_workloads_one_scaler_each()
    {
        Assert.Empty(Autoscaling.Find(await Rendered.KubernetesAsync()));
    }

    [Fact]
    public async Task An_hpa_on_the_workload_keda_scales_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Add(System.Text.Json.Nodes.JsonNode.Parse("""
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"chat-ws-cpu","namespace":"chat"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"chat-ws"},"minReplicas":2,"maxReplicas":4}}
            """));

        Assert.Contains(Autoscaling.Find(objects), p => p.StartsWith("Deployment chat/chat-ws has more than one scaler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fixed_replica_count_on_a_scaled_workload_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "chat-ws")["spec"]!["replicas"] = 3;

        Assert.Contains(Autoscaling.Find(objects), p => p.Contains("sets spec.replicas although ScaledObject chat/chat-ws scales it"));
    }

    [Fact]
    public async Task Cpu_scaling_without_a_cpu_request_or_a_missing_target_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "chat-http").PodTemplate().Containers().First()["resources"]!["requests"]!.AsObject().Remove("cpu");
        objects.Single("ScaledObject", "chat-ws")["spec"]!["scaleTargetRef"]!["name"] = "chat-websocket";

        var problems = Autoscaling.Find(objects);

        Assert.Contains(problems, p => p.Contains("scales on cpu but container chat-server of Deployment chat/chat-http requests no cpu"));
        Assert.Contains(problems, p => p.Contains("target Deployment chat-websocket does not exist"));
    }

    [Fact]
    public async Task A_keda_scaled_workload_without_a_disruption_budget_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Remove(objects.Single("PodDisruptionBudget", "chat-ws"));

        Assert.Contains(Autoscaling.Find(objects), p => p.Contains("no PodDisruptionBudget covers its pods"));
    }

    [Fact]
    public async Task Containers_are_probed_limited_non_root_and_drain_within_their_grace_period()
    {
        Assert.Empty(PodHardening.Find(await Rendered.KubernetesAsync(), ShutdownBudget.Of));
    }

    [Fact]
    public async Task A_grace_period_shorter_than_the_drain_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "chat-ws").PodTemplate()!["spec"]!["terminationGracePeriodSeconds"] = 30;

        Assert.Contains(PodHardening.Find(objects, ShutdownBudget.Of), p => p.Contains("chat-ws") && p.Contains("do not fit in terminationGracePeriodSeconds 30"));
    }

    [Fact]
    public async Task A_longer_drain_timeout_without_a_longer_grace_period_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var env = objects.Single("Deployment", "chat-ws").PodTemplate().Containers().First()["env"]!.AsArray();
        env.First(e => e!["name"]!.ToString() == "Balancing__DrainTimeout")!["value"] = "00:02:00";

        Assert.Contains(PodHardening.Find(objects, ShutdownBudget.Of), p => p.Contains("chat-ws") && p.Contains("shutdown 130 s"));
    }

    [Fact]
    public async Task Ingress_annotations_and_controller_settings_are_ones_the_controller_reads()
    {
        Assert.Empty(IngressAnnotations.Find(await Rendered.KubernetesAsync(), AnnotationNames.Supported, KindCluster.ControllerDeployment));
    }

    [Fact]
    public async Task A_misspelt_timeout_annotation_or_setting_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Ingress", "chat")["metadata"]!["annotations"]!["nginx.ingress.kubernetes.io/proxy-read-timout"] = "1200";
        objects.Single("ConfigMap", KindCluster.ControllerDeployment)["data"]!["keepalive-timeout"] = "60";

        var problems = IngressAnnotations.Find(objects, AnnotationNames.Supported, KindCluster.ControllerDeployment);

        Assert.Contains(problems, p => p.Contains("annotation nginx.ingress.kubernetes.io/proxy-read-timout is not one the controller reads"));
        Assert.Contains(problems, p => p.Contains("key keepalive-timeout is not a setting the controller reads"));
    }

    [Fact]
    public async Task A_container_without_probe_limits_or_non_root_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var container = objects.Single("Deployment", "redis").PodTemplate().Containers().First();
        container.Remove("readinessProbe");
        container["resources"]!.AsObject().Remove("limits");
        objects.Single("Deployment", "redis").PodTemplate()!["spec"]!["securityContext"]!["runAsNonRoot"] = false;

        var problems = PodHardening.Find(objects, ShutdownBudget.Of);

        Assert.Contains(problems, p => p == "Deployment chat/redis container redis: no readinessProbe");
        Assert.Contains(problems, p => p == "Deployment chat/redis container redis: no resources.limits.memory");
        Assert.Contains(problems, p => p == "Deployment chat/redis container redis: runAsNonRoot is not true");
    }

    [Fact]
    public async Task Keda_queries_name_exported_metrics_attached_labels_and_the_prometheus_service()
    {
        Assert.Empty(MetricQueries.Find(await Rendered.KubernetesAsync(), ExportedMetrics.ChatServer()));
    }

    [Fact]
    public async Task A_query_on_a_metric_the_server_does_not_export_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        Trigger(objects, 0)["metadata"]!["query"] = "sum(chat_connections{namespace=\"chat\",component=\"websocket\"})";

        Assert.Contains(MetricQueries.Find(objects, ExportedMetrics.ChatServer()), p => p.Contains("metric chat_connections is not exported"));
    }

    [Fact]
    public async Task A_query_on_the_wrong_component_or_an_unattached_label_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        Trigger(objects, 0)["metadata"]!["query"] = "sum(chat_connections_active{namespace=\"chat\",component=\"http\"})";
        Trigger(objects, 1)["metadata"]!["query"] = "sum(rate(chat_messages_received_total{deployment=\"chat-ws\"}[1m]))";

        var problems = MetricQueries.Find(objects, ExportedMetrics.ChatServer());

        Assert.Contains(problems, p => p.Contains("component=\"http\" but the scaled workload has component=\"websocket\""));
        Assert.Contains(problems, p => p.Contains("label deployment is attached by no relabel rule"));
    }

    [Fact]
    public async Task A_prometheus_address_on_a_wrong_port_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        Trigger(objects, 0)["metadata"]!["serverAddress"] = "http://prometheus.chat.svc:9091";

        Assert.Contains(MetricQueries.Find(objects, ExportedMetrics.ChatServer()), p => p.Contains("serverAddress port 9091 is not a port of Service chat/prometheus"));
    }

    [Fact]
    public async Task A_prometheus_config_that_ignores_the_scrape_annotation_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var configMap = objects.Single("ConfigMap", "prometheus");
        configMap["data"]!["prometheus.yml"] = configMap["data"]!["prometheus.yml"]!.ToString().Replace("prometheus_io_scrape", "example_com_scrape", StringComparison.Ordinal);

        Assert.Contains(MetricQueries.Find(objects, ExportedMetrics.ChatServer()), p => p.Contains("does not read the pod annotation prometheus.io/scrape"));
    }

    [Fact]
    public void The_exported_metric_names_include_the_contracted_ones()
    {
        var exported = ExportedMetrics.ChatServer();

        Assert.Contains("chat_connections_active", exported);
        Assert.Contains("chat_messages_received_total", exported);
    }

    private static JsonNode Trigger(JsonArray objects, int index) =>
        objects.Single("ScaledObject", "chat-ws")["spec"]!["triggers"]!.AsArray().Where(t => t!["type"]!.ToString() == "prometheus").ElementAt(index)!;
}
