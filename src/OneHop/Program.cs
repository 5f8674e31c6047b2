using OneHop.Cli;

return await OneHopCli.InvokeAsync(args);
