global using System.Buffers;
global using System.Diagnostics.CodeAnalysis;
global using Xmpp.Protocol;
global using Xmpp.Protocol.Xml;
