global using Orleans;
global using Orleans.Concurrency;
global using Orleans.Runtime;
global using Xmpp.Protocol;
global using Xmpp.Protocol.Xml;
