#include "go/start_trap.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

struct tlsg_lookup {
	bool found;
	uint64_t value;
};

static void find_tlsg(const struct elf_sym *sym, void *ctx)
{
	struct tlsg_lookup *l = ctx;
	if (!l->found && sym->type == STT_TLS && strcmp(sym->name, "runtime.tlsg") == 0) {
		l->found = true;
		l->value = sym->value;
	}
}

void go_start_trap_find(const struct elf_file *ef, bool runtime_cgo, struct go_start_trap *out)
{
	memset(out, 0, sizeof *out);
	/* arm64 and the others keep g in a register when runtime/cgo is
	 * absent (observed: an arm64 build of the same kind starts). */
	if (runtime_cgo || ef->machine != EM_X86_64 || ef->bits != 64)
		return;
	/* Go's own linker writes no PT_TLS for a static program and an 8-byte
	 * one (g alone) otherwise. */
	const struct elf_phdr *tls = elf_phdr_by_type(ef, PT_TLS);
	if (!tls || tls->memsz > UINT32_MAX || tls->align > 4096)
		return;
	uint64_t align = tls->align ? tls->align : 1;
	out->tls_size = (tls->memsz + align - 1) / align * align;
	/* x86-64 TLS (variant II): the program's block ends at the thread
	 * pointer, so a TLS symbol's offset is its place in the block minus
	 * the block's size. */
	struct tlsg_lookup l = { 0 };
	elf_symtab_each(ef, find_tlsg, &l);
	if (l.found && l.value < out->tls_size) {
		out->from_symbol = true;
		out->g_offset = (int64_t)l.value - (int64_t)out->tls_size;
		out->trap = out->g_offset != -8;
		snprintf(out->evidence, sizeof out->evidence,
			 "no runtime/cgo in the function table; PT_TLS of %#llx bytes with runtime.tlsg at %#llx: "
			 "g is at %%fs-%#llx, the runtime looks at %%fs-0x8",
			 (unsigned long long)out->tls_size, (unsigned long long)l.value,
			 (unsigned long long)-out->g_offset);
		return;
	}
	/* Stripped: ld lays out .tdata before .tbss and the Go object before
	 * the C libraries, so any TLS beyond g's 8 bytes (glibc's own) puts
	 * g below -8. */
	out->trap = out->tls_size > 8;
	snprintf(out->evidence, sizeof out->evidence,
		 "no runtime/cgo in the function table; PT_TLS of %#llx bytes, g's 8 and the C library's: "
		 "the system linker did not put g at %%fs-0x8, where the runtime looks",
		 (unsigned long long)out->tls_size);
}
