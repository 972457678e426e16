namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>
/// The specification's precedence between route matches, continuing on ties: the most specific hostname (exact, then
/// the longest wildcard), an Exact path, the longest PathPrefix (regular expressions after), a method match, the most
/// header matches, the most query parameter matches, then the oldest route, its namespace/name, rule and match order.
/// </summary>
public sealed record RoutePrecedence(string? Host, string PathType, string Path, bool HasMethod, int Headers, int QueryParams,
    DateTime Created, string Route, int Rule, int Match) : IComparable<RoutePrecedence>
{
    public int CompareTo(RoutePrecedence? other)
    {
        if (other is null)
        {
            return -1;
        }

        int c;
        if ((c = Hostnames.Specificity(Host).CompareTo(Hostnames.Specificity(other.Host))) != 0
            || (c = Rank(PathType).CompareTo(Rank(other.PathType))) != 0
            || (c = other.Path.Length.CompareTo(Path.Length)) != 0
            || (c = other.HasMethod.CompareTo(HasMethod)) != 0
            || (c = other.Headers.CompareTo(Headers)) != 0
            || (c = other.QueryParams.CompareTo(QueryParams)) != 0
            || (c = Created.CompareTo(other.Created)) != 0
            || (c = string.CompareOrdinal(Route, other.Route)) != 0
            || (c = Rule.CompareTo(other.Rule)) != 0)
        {
            return c;
        }

        return Match.CompareTo(other.Match);
    }

    private static int Rank(string pathType) => pathType switch
    {
        PathTypes.Exact => 0,
        PathTypes.PathPrefix => 1,
        _ => 2,
    };
}
