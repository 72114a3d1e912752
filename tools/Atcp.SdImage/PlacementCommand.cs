namespace Atcp.SdImage;

/// <summary>`sdimage placement --boards N [--copies C] NAME...`: the boards holding each object name.</summary>
public static class PlacementCommand
{
    /// <summary>Prints one line per name: the holders' ids, the one asked first first.</summary>
    public static int Run(Arguments args, ToolConsole console)
    {
        if (!args.Has("boards")) throw new UsageException("placement needs --boards N");
        int boards = args.Int("boards", 0, 1, 65534);
        int copies = args.Int("copies", Placement.DefaultCopies(boards), 1, boards);
        if (args.Operands.Count == 0) throw new UsageException("placement needs at least one object name");
        var placement = new Placement(boards, copies);
        console.Out.WriteLine($"# boards 1..{boards}, {copies} cop{(copies == 1 ? "y" : "ies")} each; holders best first (the front-end asks the first that is up)");
        foreach (string raw in args.Operands)
        {
            // Object names are paths relative to the store, never with a leading slash; accept URL-style input.
            string name = raw.TrimStart('/');
            console.Out.WriteLine($"{string.Join(' ', placement.Holders(name))}\t{name}");
        }
        return 0;
    }
}
