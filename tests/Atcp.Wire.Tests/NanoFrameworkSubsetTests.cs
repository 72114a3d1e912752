using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Atcp.TestSupport;

namespace Atcp.Wire.Tests;

/// <summary>The firmware-side sources, compiled by firmware/Atcp.NfCheck against nanoFramework's
/// mscorlib, must also avoid what that compile cannot catch: generic types and methods of our own
/// (nanoCLR 1.x has no generics) and references to anything but mscorlib.</summary>
public class NanoFrameworkSubsetTests
{
    /// <summary>The two check assemblies: the firmware core, and the core plus the board glue.</summary>
    public static TheoryData<string> CheckAssemblies => new() { "Atcp.NfCheck", "Atcp.BoardCheck" };

    static MetadataReader Open(string check, out PEReader pe)
    {
        var path = RepoPaths.Under("firmware", check, "bin", RepoPaths.Configuration, "net10.0", check + ".dll");
        Assert.True(File.Exists(path), "the nanoFramework check assembly was not built: " + path);
        pe = new PEReader(File.OpenRead(path));
        return pe.GetMetadataReader();
    }

    [Theory]
    [MemberData(nameof(CheckAssemblies))]
    public void FirmwareSources_DeclareNoGenericTypesOrMethods(string check)
    {
        var md = Open(check, out var pe);
        using (pe)
        {
            var offenders = new List<string>();
            foreach (var h in md.TypeDefinitions)
            {
                var t = md.GetTypeDefinition(h);
                var typeName = md.GetString(t.Namespace) + "." + md.GetString(t.Name);
                if (t.GetGenericParameters().Count > 0) offenders.Add(typeName);
                foreach (var mh in t.GetMethods())
                {
                    var m = md.GetMethodDefinition(mh);
                    if (m.GetGenericParameters().Count > 0) offenders.Add(typeName + "." + md.GetString(m.Name));
                }
            }
            Assert.True(offenders.Count == 0, "generic definitions nanoCLR cannot run: " + string.Join(", ", offenders));
            Assert.Equal(0, md.GetTableRowCount(TableIndex.MethodSpec));
        }
    }

    [Fact]
    public void FirmwareSources_ReferenceOnlyMscorlib()
    {
        var md = Open("Atcp.NfCheck", out var pe);
        using (pe)
        {
            var names = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
            Assert.Equal(new[] { "mscorlib" }, names);
        }
    }
}
