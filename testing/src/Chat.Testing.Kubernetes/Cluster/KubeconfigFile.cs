namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// A kubeconfig for one service account against the fake API server: what a pod with a mounted service-account
/// token gets in a cluster (in-cluster config needs the token file at its fixed path, which a local process does
/// not have), handed to the pod as KUBECONFIG.
/// </summary>
public static class KubeconfigFile
{
    public static string Write(string directory, string server, string ns, string serviceAccount, string token)
    {
        var path = Path.Combine(directory, $"kubeconfig-{ns}-{serviceAccount}.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: harness
                cluster:
                  server: {server}
            users:
              - name: {serviceAccount}
                user:
                  token: {token}
            contexts:
              - name: harness
                context:
                  cluster: harness
                  user: {serviceAccount}
                  namespace: {ns}
            current-context: harness

            """);
        return path;
    }
}
