/* Names of ELF constants, as `uname -m` and distributions spell them. */
#include <elf.h>
#include <stdio.h>

#include "elf/elf.h"

const char *elf_machine_name(uint16_t machine, unsigned bits, bool big_endian, char *buf, size_t len)
{
	switch (machine) {
	case EM_X86_64: return bits == 32 ? "x32" : "x86_64";
	case EM_386: return "i386";
	case EM_AARCH64: return big_endian ? "aarch64_be" : "aarch64";
	case EM_ARM: return big_endian ? "armeb" : "arm";
	case EM_S390: return bits == 64 ? "s390x" : "s390";
	case EM_PPC: return big_endian ? "ppc" : "ppcle";
	case EM_PPC64: return big_endian ? "ppc64" : "ppc64le";
	case EM_RISCV: return bits == 64 ? "riscv64" : "riscv32";
	case EM_MIPS:
		if (bits == 64)
			return big_endian ? "mips64" : "mips64el";
		return big_endian ? "mips" : "mipsel";
	case EM_LOONGARCH: return bits == 64 ? "loongarch64" : "loongarch32";
	case EM_SPARC: return "sparc";
	case EM_SPARCV9: return "sparc64";
	case EM_IA_64: return "ia64";
	case EM_ALPHA: return "alpha";
	case EM_PARISC: return "parisc";
	case EM_SH: return "sh";
	case EM_68K: return "m68k";
	case EM_NONE: return "none";
	default:
		snprintf(buf, len, "EM_%u", machine);
		return buf;
	}
}

const char *elf_osabi_name(uint8_t osabi, char *buf, size_t len)
{
	switch (osabi) {
	case ELFOSABI_SYSV: return "SYSV";
	case ELFOSABI_GNU: return "GNU";
	case ELFOSABI_FREEBSD: return "FreeBSD";
	case ELFOSABI_NETBSD: return "NetBSD";
	case ELFOSABI_OPENBSD: return "OpenBSD";
	case ELFOSABI_SOLARIS: return "Solaris";
	case ELFOSABI_ARM: return "ARM";
	case ELFOSABI_STANDALONE: return "standalone";
	default:
		snprintf(buf, len, "OSABI_%u", osabi);
		return buf;
	}
}

const char *elf_type_name(uint16_t type, char *buf, size_t len)
{
	switch (type) {
	case ET_NONE: return "NONE";
	case ET_REL: return "REL";
	case ET_EXEC: return "EXEC";
	case ET_DYN: return "DYN";
	case ET_CORE: return "CORE";
	default:
		snprintf(buf, len, "ET_%#x", type);
		return buf;
	}
}
