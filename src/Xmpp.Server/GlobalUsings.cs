global using Xmpp.Protocol;
