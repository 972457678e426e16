using System.Globalization;
using System.Text;
using ADRaffy.ENSNormalize;
using Chat.Server.Rooms;

namespace Chat.Server.Identity;

/// <summary>A user name as shown (<see cref="Display"/>) and the key it is unique by (<see cref="Key"/>: look-alikes share it).</summary>
public readonly record struct UserName(string Display, string Key);

/// <summary>
/// Names chosen by anonymous clients. Refused: control, format and invisible characters (zero-width, BOM, direction
/// marks), names mixing scripts within a word (Cyrillic "а" in "аlice") and words made only of look-alikes of another
/// script (whole-script confusables), stray combining marks. Accepted names are NFC with compatibility forms mapped
/// (fullwidth "ａ" is "a"), and unique by their case-folded key, so "Alice", "ALICE" and "ａｌｉｃｅ" are one name.
/// The rules are ENSIP-15's (UTS-46 mapping, UTS-39 confusables), applied per word (words split at spaces and '_').
/// </summary>
public static class UserNames
{
    public static UserName Normalize(string? input, int maxLength)
    {
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new ChatValidationException("The user name is empty.");
        }

        if (trimmed.Length > maxLength * 4)
        {
            throw new ChatValidationException($"The user name is longer than {maxLength} characters.");
        }

        var spaced = new StringBuilder(trimmed.Length);
        foreach (var rune in trimmed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.Surrogate or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator || rune == Rune.ReplacementChar)
            {
                throw new ChatValidationException("The user name contains control or invisible characters (zero-width, direction marks, BOM).");
            }

            // Every kind of space is one plain space, and runs of them are one.
            if (category == UnicodeCategory.SpaceSeparator)
            {
                if (spaced.Length > 0 && spaced[^1] != ' ')
                {
                    spaced.Append(' ');
                }

                continue;
            }

            spaced.Append(rune.ToString());
        }

        var display = new StringBuilder();
        var key = new StringBuilder();
        var word = new StringBuilder();
        foreach (var c in ENSNormalize.NF.NFC(spaced.ToString().Trim()) + " ")
        {
            if (c is ' ' or '_')
            {
                AppendWord(word.ToString(), display, key);
                display.Append(c);
                key.Append(c);
                word.Clear();
            }
            else
            {
                word.Append(c);
            }
        }

        var shown = display.ToString().TrimEnd();
        if (shown.Length == 0)
        {
            throw new ChatValidationException("The user name has no visible characters.");
        }

        if (shown.Length > maxLength)
        {
            throw new ChatValidationException($"The user name is longer than {maxLength} characters.");
        }

        return new UserName(shown, key.ToString().TrimEnd());
    }

    private static void AppendWord(string word, StringBuilder display, StringBuilder key)
    {
        if (word.Length == 0)
        {
            return;
        }

        string normalized;
        try
        {
            normalized = ENSNormalize.ENSIP15.Normalize(word);
        }
        catch (InvalidLabelException e)
        {
            throw new ChatValidationException($"The user name is not allowed ({Describe(e.Error)}): use letters of one script per word, digits, '-', '_' or spaces.");
        }
        catch (NormException e)
        {
            throw new ChatValidationException($"The user name is not allowed ({Describe(e)}).");
        }

        key.Append(normalized);
        // Shown as typed where that differs from the key only in case; otherwise in its normalized form.
        foreach (var rune in word.EnumerateRunes())
        {
            var text = rune.ToString();
            var mapped = ENSNormalize.ENSIP15.NormalizeFragment(text);
            display.Append(mapped == text.ToLowerInvariant() ? text : mapped);
        }
    }

    private static string Describe(NormException error) => error.Kind switch
    {
        "illegal mixture" => "it mixes scripts within a word",
        "whole-script confusable" => "it looks like a word of another script",
        "disallowed character" => "it contains a character that is not allowed in names",
        _ => error.Kind,
    };
}
