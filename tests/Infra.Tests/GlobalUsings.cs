// A CloudFormation object in a pattern: new Props { ["Runtime"] = "provided.al2023" }.
global using Props = System.Collections.Generic.Dictionary<string, object>;

// One jsii runtime (a node process) serves the whole test assembly; tests take turns with it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
