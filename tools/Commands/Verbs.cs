using System.CommandLine;

namespace Functions.Tools.Commands;

/// <summary>Every verb of ./fn besides setup and test (those live in the fn script: they run before anything is built).</summary>
public static class Verbs
{
    public static IEnumerable<Command> All() =>
    [
        BuildCommand.Create(),
        InvokeCommand.Create(),
        ServeCommand.Create(),
        BenchCommand.Create(),
        TuneCommand.Create(),
        SynthCommand.Create(),
        NagCommand.Create(),
        DeployCommand.Create(),
        NewCommand.Create(),
        TokenCommand.Create(),
    ];
}
