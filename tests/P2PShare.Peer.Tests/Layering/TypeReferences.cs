using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace P2PShare.Peer.Tests.Layering;

/// <summary>
/// Which of an assembly's own types each of its types uses, read from the metadata: base type, interfaces, generic
/// constraints, attributes, field, method, property and event signatures, locals, catch clauses, and every type, method
/// and field token in the IL of the method bodies — so a type used only inside a method body counts as well. Nested
/// (and compiler-generated) types count as their outermost type. Types named by full name.
/// </summary>
internal static class TypeReferences
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    public static IReadOnlyDictionary<string, HashSet<string>> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var result = new Dictionary<string, HashSet<string>>();
        foreach (var handle in md.TypeDefinitions)
        {
            var collector = new Collector(md);
            CollectType(pe, md, md.GetTypeDefinition(handle), collector);
            string name = NameOf(md, handle);
            if (!result.TryGetValue(name, out var used))
            {
                result[name] = used = [];
            }

            used.UnionWith(collector.Found.Select(h => NameOf(md, h)).Where(n => n != name));
        }

        return result;
    }

    private static void CollectType(PEReader pe, MetadataReader md, TypeDefinition type, Collector c)
    {
        c.Add(type.BaseType);
        foreach (var i in type.GetInterfaceImplementations())
        {
            c.Add(md.GetInterfaceImplementation(i).Interface);
        }

        c.AddConstraints(type.GetGenericParameters());
        c.AddAttributes(type.GetCustomAttributes());
        foreach (var f in type.GetFields())
        {
            var field = md.GetFieldDefinition(f);
            field.DecodeSignature(c, null);
            c.AddAttributes(field.GetCustomAttributes());
        }

        foreach (var p in type.GetProperties())
        {
            var property = md.GetPropertyDefinition(p);
            property.DecodeSignature(c, null);
            c.AddAttributes(property.GetCustomAttributes());
        }

        foreach (var e in type.GetEvents())
        {
            c.Add(md.GetEventDefinition(e).Type);
        }

        foreach (var m in type.GetMethods())
        {
            var method = md.GetMethodDefinition(m);
            method.DecodeSignature(c, null);
            c.AddConstraints(method.GetGenericParameters());
            c.AddAttributes(method.GetCustomAttributes());
            if (method.RelativeVirtualAddress != 0)
            {
                CollectBody(pe.GetMethodBody(method.RelativeVirtualAddress), md, c);
            }
        }
    }

    private static void CollectBody(MethodBodyBlock body, MetadataReader md, Collector c)
    {
        if (!body.LocalSignature.IsNil)
        {
            md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(c, null);
        }

        foreach (var region in body.ExceptionRegions)
        {
            c.Add(region.CatchType);
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            byte first = il.ReadByte();
            short code = first == 0xFE ? unchecked((short)(0xFE00 | il.ReadByte())) : first;
            switch (Operands[code])
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok or OperandType.InlineSig:
                    c.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSwitch:
                    // The target count must be read before Offset: `Offset += 4 * ReadInt32()` would read Offset first.
                    int targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR or OperandType.InlineString:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
            }
        }
    }

    private static string NameOf(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        while (!type.GetDeclaringType().IsNil)
        {
            type = md.GetTypeDefinition(type.GetDeclaringType());
        }

        string ns = md.GetString(type.Namespace);
        string name = md.GetString(type.Name);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }

    /// <summary>Decodes signatures for the side effect of noting every type of this assembly they name.</summary>
    private sealed class Collector(MetadataReader md) : ISignatureTypeProvider<bool, object?>
    {
        public HashSet<TypeDefinitionHandle> Found { get; } = [];

        public void Add(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    Found.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    Found.Add(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition:
                    Found.Add(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    AddMember(md.GetMemberReference((MemberReferenceHandle)handle));
                    break;
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.Method)
                    {
                        signature.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        signature.DecodeLocalSignature(this, null);
                    }

                    break;
            }
        }

        public void AddConstraints(GenericParameterHandleCollection parameters)
        {
            foreach (var p in parameters)
            {
                foreach (var constraint in md.GetGenericParameter(p).GetConstraints())
                {
                    Add(md.GetGenericParameterConstraint(constraint).Type);
                }
            }
        }

        public void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes)
            {
                Add(md.GetCustomAttribute(a).Constructor);
            }
        }

        private void AddMember(MemberReference member)
        {
            Add(member.Parent);
            if (member.GetKind() == MemberReferenceKind.Method)
            {
                member.DecodeMethodSignature(this, null);
            }
            else
            {
                member.DecodeFieldSignature(this, null);
            }
        }

        public bool GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Found.Add(handle);

        public bool GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            Add(handle);
            return false;
        }

        public bool GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => false;

        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => false;

        public bool GetSZArrayType(bool elementType) => false;

        public bool GetArrayType(bool elementType, ArrayShape shape) => false;

        public bool GetByReferenceType(bool elementType) => false;

        public bool GetPointerType(bool elementType) => false;

        public bool GetPinnedType(bool elementType) => false;

        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => false;

        public bool GetGenericInstantiation(bool genericType, System.Collections.Immutable.ImmutableArray<bool> typeArguments) => false;

        public bool GetGenericTypeParameter(object? genericContext, int index) => false;

        public bool GetGenericMethodParameter(object? genericContext, int index) => false;

        public bool GetFunctionPointerType(MethodSignature<bool> signature) => false;
    }
}
