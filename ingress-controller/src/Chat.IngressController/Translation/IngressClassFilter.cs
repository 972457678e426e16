using Chat.IngressController.Hosting;
using k8s.Models;

namespace Chat.IngressController.Translation;

/// <summary>Decides which Ingresses belong to this controller.</summary>
public sealed class IngressClassFilter
{
    private readonly IngressControllerOptions _options;
    private readonly HashSet<string> _ownClasses;
    private readonly HashSet<string> _foreignClasses;
    private readonly bool _ownDefault;

    public IngressClassFilter(IngressControllerOptions options, IEnumerable<V1IngressClass> classes)
    {
        _options = options;
        var all = classes.ToList();
        _ownClasses = all.Where(c => c.Spec?.Controller == options.ControllerName).Select(c => c.Metadata.Name).ToHashSet();
        _foreignClasses = all.Where(c => c.Spec?.Controller != options.ControllerName).Select(c => c.Metadata.Name).ToHashSet();
        _ownDefault = all.Any(c => _ownClasses.Contains(c.Metadata.Name)
            && c.Metadata.Annotations?.TryGetValue(AnnotationNames.IsDefaultClass, out var v) == true && v == "true");
    }

    public bool IsOwn(V1Ingress ingress)
    {
        var className = ingress.Spec?.IngressClassName;
        if (string.IsNullOrEmpty(className)
            && ingress.Metadata.Annotations?.TryGetValue(AnnotationNames.LegacyIngressClass, out var legacy) == true)
        {
            className = legacy;
        }

        if (string.IsNullOrEmpty(className))
        {
            return _ownDefault || _options.WatchIngressWithoutClass;
        }

        // An IngressClass object decides; without one, the configured class name is ours (like ingress-nginx's --ingress-class).
        return _ownClasses.Contains(className) || (className == _options.ClassName && !_foreignClasses.Contains(className));
    }
}
