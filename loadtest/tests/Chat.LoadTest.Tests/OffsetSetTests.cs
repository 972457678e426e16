using Chat.LoadTest.Metrics;

namespace Chat.LoadTest.Tests;

public sealed class OffsetSetTests
{
    [Fact]
    public void Counts_what_is_missing_across_word_boundaries()
    {
        var set = new OffsetSet();
        foreach (var value in Enumerable.Range(1, 200).Where(v => v is not (63 or 64 or 130)))
        {
            Assert.True(set.Add(value));
        }

        Assert.False(set.Add(5));
        Assert.Equal(197, set.Count);
        Assert.Equal(1, set.Min);
        Assert.Equal(200, set.Max);
        Assert.Equal(3, set.CountMissing(1, 200));
        Assert.Equal(2, set.CountMissing(60, 70));
        Assert.Equal(0, set.CountMissing(65, 129));
        Assert.Equal(1, set.CountMissing(0, 0));
    }

    [Fact]
    public void Counts_values_absent_from_another_set()
    {
        var sent = new OffsetSet();
        var received = new OffsetSet();
        for (var i = 1; i <= 100; i++)
        {
            sent.Add(i);
            if (i % 10 != 0)
            {
                received.Add(i);
            }
        }

        received.Add(1000);
        Assert.Equal(10, sent.CountNotIn(received));
        Assert.Equal(1, received.CountNotIn(sent));
    }
}
