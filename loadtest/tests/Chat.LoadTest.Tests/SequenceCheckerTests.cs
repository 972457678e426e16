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
            Assert.Equal(Arrival.New, checker.Record("r", "e1", offset, requested: false));
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
            checker.Record("r", "e1", offset, requested: false);
        }

        Assert.Equal(2, Assert.Single(checker.Report()).Gaps);
    }

    [Fact]
    public void A_pushed_offset_seen_twice_is_a_duplicate_but_a_requested_repeat_is_not()
    {
        var checker = new SequenceChecker();
        checker.Record("r", "e1", 1, requested: false);
        checker.Record("r", "e1", 2, requested: false);
        Assert.Equal(Arrival.Repeat, checker.Record("r", "e1", 2, requested: true));
        Assert.Equal(Arrival.Duplicate, checker.Record("r", "e1", 2, requested: false));

        var report = Assert.Single(checker.Report());
        Assert.Equal((2L, 0L, 1L), (report.Received, report.Gaps, report.Duplicates));
    }

    [Fact]
    public void A_push_of_what_a_resume_reply_already_brought_is_not_a_duplicate()
    {
        var checker = new SequenceChecker();
        Assert.Equal(Arrival.New, checker.Record("r", "e1", 5, requested: true));
        Assert.Equal(Arrival.Repeat, checker.Record("r", "e1", 5, requested: false));
        Assert.Equal(Arrival.Duplicate, checker.Record("r", "e1", 5, requested: false));
    }

    [Fact]
    public void A_resume_reply_fills_a_gap()
    {
        var checker = new SequenceChecker();
        checker.Baseline("r", "e1", 0);
        checker.Record("r", "e1", 1, requested: false);
        checker.Record("r", "e1", 4, requested: false);
        Assert.Equal(2, Assert.Single(checker.Report()).Gaps);

        checker.Record("r", "e1", 2, requested: true);
        checker.Record("r", "e1", 3, requested: true);
        Assert.Equal(0, Assert.Single(checker.Report()).Gaps);
    }

    [Fact]
    public void Epochs_and_rooms_are_checked_separately()
    {
        var checker = new SequenceChecker();
        checker.Record("a", "e1", 7, requested: false);
        checker.Record("a", "e2", 7, requested: false);
        checker.Record("b", "e1", 7, requested: false);
        checker.Record("a", "e2", 9, requested: false);

        var reports = checker.Report();
        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.Equal(0, r.Duplicates));
        Assert.Equal(1, reports.Single(r => r is { Room: "a", Epoch: "e2" }).Gaps);
    }
}
