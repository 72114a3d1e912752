using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>Reprs made to borrow their variable fields (the board's COMMAND and COMMAND_UDP): parsing
/// leaves Name and Prefix referring to the received body instead of copying it, and everything a
/// user sees (the fields' text, the emitted bytes) is what an owning repr gives.</summary>
public class AtcpBorrowingFieldTests
{
    [Fact]
    public void Parse_BorrowingCommand_ReadsNameAndPrefixInPlace()
    {
        var body = AtcpGolden.Body("COMMAND");
        var buffer = new byte[body.Length + 7];
        body.CopyTo(buffer, 7);
        var r = new AtcpCommandRepr(borrowFields: true);
        Assert.Equal(ParseStatus.Ok, r.Parse(buffer, 7, body.Length));
        Assert.True(r.Name.Borrows);
        Assert.Same(buffer, r.Name.Bytes);
        Assert.Same(buffer, r.Prefix.Bytes);
        Assert.Equal(7 + AtcpCommand.NameLengthOffset + 1, r.Name.Offset);
        Assert.Equal("index.html", r.Name.ToText());
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\n", r.Prefix.ToText());
        Assert.True(r.Name.EqualsBytes("index.html"u8.ToArray(), 0, 10));
    }

    [Fact]
    public void Emit_BorrowingCommand_GivesTheBodyItParsed()
    {
        var body = AtcpGolden.Body("COMMAND");
        var r = new AtcpCommandRepr(true);
        Assert.Equal(ParseStatus.Ok, r.Parse(body, 0, body.Length));
        var again = new byte[r.Length];
        r.Emit(again, 0);
        Assert.Equal(body, again);
    }

    [Fact]
    public void Parse_BorrowingCommandUdp_ReadsNameInPlace()
    {
        var body = AtcpGolden.Body("COMMAND_UDP");
        var r = new AtcpCommandUdpRepr(borrowName: true);
        Assert.Equal(ParseStatus.Ok, r.Parse(body, 0, body.Length));
        Assert.Same(body, r.Name.Bytes);
        var owning = new AtcpCommandUdpRepr();
        Assert.Equal(ParseStatus.Ok, owning.Parse(body, 0, body.Length));
        Assert.Equal(owning.Name.ToText(), r.Name.ToText());
        Assert.Equal(owning.Name.Length, r.Name.Length);
    }

    [Fact]
    public void SetText_OnBorrowingField_KeepsTheTextAndItsCapacity()
    {
        var field = AtcpByteString.Borrowing(4);
        Assert.Equal(ParseStatus.Ok, field.SetText("abc"));
        Assert.Equal("abc", field.ToText());
        Assert.Equal(0, field.Offset);
        Assert.Equal(ParseStatus.BadLength, field.SetText("abcde"));
        Assert.Equal(ParseStatus.BadLength, field.Set(new byte[10], 0, 5));
        Assert.Equal("abc", field.ToText());
        Assert.Equal(4, field.Capacity);
    }

    [Fact]
    public void Set_OnOwningField_CopiesSoTheSourceMayChange()
    {
        var field = new AtcpByteString(8);
        var source = "xxname"u8.ToArray();
        Assert.Equal(ParseStatus.Ok, field.Set(source, 2, 4));
        source[2] = (byte)'N';
        Assert.False(field.Borrows);
        Assert.Equal(0, field.Offset);
        Assert.Equal("name", field.ToText());
    }
}
