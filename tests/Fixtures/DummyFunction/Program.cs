using DummyFunction;
using Functions.Runtime;

// Each event says what to do ({"action": "echo" | "sleep" | "throw" | "exit" | "big" | "stream" | "env" | "log" | "allocate" | "spin"}); DUMMY_FAIL_INIT=1 fails init.
return await LambdaBootstrap.RunAsync(DummyHandler.Initialize);
