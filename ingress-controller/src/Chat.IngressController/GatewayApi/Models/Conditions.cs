namespace Chat.IngressController.GatewayApi.Models;

/// <summary>Condition types and reasons of the Gateway API (apis/v1), as the conformance suite checks them.</summary>
public static class Conditions
{
    public const string Accepted = "Accepted";
    public const string Programmed = "Programmed";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string Conflicted = "Conflicted";
    public const string SupportedVersion = "SupportedVersion";

    public static class Reasons
    {
        // Shared
        public const string Accepted = "Accepted";
        public const string Programmed = "Programmed";
        public const string ResolvedRefs = "ResolvedRefs";
        public const string Pending = "Pending";
        public const string Invalid = "Invalid";
        public const string NoConflicts = "NoConflicts";
        public const string RefNotPermitted = "RefNotPermitted";

        // GatewayClass
        public const string InvalidParameters = "InvalidParameters";
        public const string SupportedVersion = "SupportedVersion";

        // Gateway
        public const string ListenersNotValid = "ListenersNotValid";
        public const string UnsupportedAddress = "UnsupportedAddress";
        public const string AddressNotAssigned = "AddressNotAssigned";
        public const string NoResources = "NoResources";

        // Listener
        public const string UnsupportedProtocol = "UnsupportedProtocol";
        public const string PortUnavailable = "PortUnavailable";
        public const string HostnameConflict = "HostnameConflict";
        public const string ProtocolConflict = "ProtocolConflict";
        public const string InvalidCertificateRef = "InvalidCertificateRef";
        public const string InvalidRouteKinds = "InvalidRouteKinds";

        // Route
        public const string NotAllowedByListeners = "NotAllowedByListeners";
        public const string NoMatchingListenerHostname = "NoMatchingListenerHostname";
        public const string NoMatchingParent = "NoMatchingParent";
        public const string UnsupportedValue = "UnsupportedValue";
        public const string InvalidKind = "InvalidKind";
        public const string BackendNotFound = "BackendNotFound";
        public const string UnsupportedProtocolRoute = "UnsupportedProtocol";

        // Policy (GEP-713)
        public const string TargetNotFound = "TargetNotFound";
    }
}
