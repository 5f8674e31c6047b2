using OneHop.Cli;
using OneHop.Core.Sources.Kubernetes;

// Before anything reads or writes Kubernetes JSON: afterwards KubernetesClient's settings are fixed.
KubernetesJsonTypes.Register();
return await OneHopCli.InvokeAsync(args);
