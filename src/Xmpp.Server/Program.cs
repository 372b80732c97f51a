using Xmpp.Server;

return await ServerProgram.RunAsync(args);
