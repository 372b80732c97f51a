global using Xmpp.Protocol;
global using Xmpp.Protocol.Xml;
global using Xmpp.Runtime;
