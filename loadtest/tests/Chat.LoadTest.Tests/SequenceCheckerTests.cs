using Chat.LoadTest.Metrics;

namespace Chat.LoadTest.Tests;

public sealed class SequenceCheckerTests
{
    [Fact]
    public void A_contiguous_sequence_after_the_join_position_has_no_gap()
    {
        var checker = new SequenceChecker();
        checker.Baseline("r", "e1", 10);
        for (var offset = 11; offset <= 20; offset++)
        {
            Assert.Equal(Arrival.New, checker.Delivered("r", "e1", offset));
        }

        var report = Assert.Single(checker.Report());
        Assert.Equal((10L, 0L, 0L, 20L), (report.Received, report.Gaps, report.Duplicates, report.LastOffset));
    }

    [Fact]
    public void A_missing_offset_is_a_gap_even_right_after_the_join()
    {
        var checker = new SequenceChecker();
        checker.Baseline("r", "e1", 10);
        foreach (var offset in new[] { 12, 13, 15 })
        {
            checker.Delivered("r", "e1", offset);
        }

        Assert.Equal(2, Assert.Single(checker.Report()).Gaps);
    }

    [Fact]
    public void An_offset_pushed_twice_or_handed_over_twice_is_a_duplicate()
    {
        var checker = new SequenceChecker();
        Assert.False(checker.Pushed("r", "e1", 1));
        checker.Delivered("r", "e1", 1);
        Assert.False(checker.Pushed("r", "e1", 2));
        checker.Delivered("r", "e1", 2);
        Assert.True(checker.Pushed("r", "e1", 2));
        Assert.Equal(Arrival.Duplicate, checker.Delivered("r", "e1", 1));

        var report = Assert.Single(checker.Report());
        Assert.Equal((2L, 0L, 2L), (report.Received, report.Gaps, report.Duplicates));
    }

    [Fact]
    public void What_a_join_recovered_is_handed_over_without_a_push_and_is_no_duplicate()
    {
        var checker = new SequenceChecker();
        Assert.Equal(Arrival.New, checker.Delivered("r", "e1", 5)); // from a join's answer: not pushed
        Assert.False(checker.Pushed("r", "e1", 6));
        Assert.Equal(Arrival.New, checker.Delivered("r", "e1", 6));

        Assert.Equal(0, Assert.Single(checker.Report()).Duplicates);
    }

    [Fact]
    public void Epochs_and_rooms_are_checked_separately()
    {
        var checker = new SequenceChecker();
        checker.Delivered("a", "e1", 7);
        checker.Delivered("a", "e2", 7);
        checker.Delivered("b", "e1", 7);
        checker.Delivered("a", "e2", 9);

        var reports = checker.Report();
        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.Equal(0, r.Duplicates));
        Assert.Equal(1, reports.Single(r => r is { Room: "a", Epoch: "e2" }).Gaps);
    }
}
