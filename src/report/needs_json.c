#include "report/needs_report.h"

#include "util/json.h"

const char *x86_isa_level_name(unsigned level)
{
	static const char *const names[] = { NULL, "x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4" };
	return level < sizeof names / sizeof names[0] ? names[level] : NULL;
}

static json_t *version_needs_json(const struct needs *n)
{
	json_t *files = json_array();
	for (size_t i = 0; i < n->nversion_needs; i++) {
		const struct file_version_needs *f = &n->version_needs[i];
		json_t *versions = json_array();
		for (size_t j = 0; j < f->nversions; j++) {
			const struct version_need *v = &f->versions[j];
			json_array_append_new(versions, json_pack("{s:o, s:b, s:o}",
				"name", json_text(v->name), "weak", v->weak,
				"symbols", json_text_array(v->symbols, v->nsymbols)));
		}
		json_array_append_new(files, json_pack("{s:o, s:o}", "file", json_text(f->file),
						       "versions", versions));
	}
	return files;
}

static json_t *nullable(const char *s)
{
	return s && s[0] ? json_text(s) : json_null();
}

json_t *needs_to_json(const char *path, const struct elf_file *ef, const struct needs *n)
{
	char b1[32], b2[32], b3[32];
	json_t *o = json_object();
	json_object_set_new(o, "path", json_text(path));
	json_object_set_new(o, "class", json_integer(ef->bits));
	json_object_set_new(o, "endian", json_string(ef->big_endian ? "big" : "little"));
	json_object_set_new(o, "machine", json_text(elf_machine_name(ef->machine, ef->bits, ef->big_endian, b1, sizeof b1)));
	json_object_set_new(o, "osabi", json_text(elf_osabi_name(ef->osabi, b2, sizeof b2)));
	json_object_set_new(o, "type", json_text(elf_type_name(ef->type, b3, sizeof b3)));
	json_object_set_new(o, "kind", json_string(binary_kind_name(n->kind)));
	json_object_set_new(o, "interpreter", json_text(n->interpreter));
	json_object_set_new(o, "needed", json_text_array(n->needed, n->nneeded));
	json_object_set_new(o, "soname", json_text(n->soname));
	json_object_set_new(o, "rpath", json_text_array((const char *const *)n->rpath, n->nrpath));
	json_object_set_new(o, "runpath", json_text_array((const char *const *)n->runpath, n->nrunpath));
	json_object_set_new(o, "version_needs", version_needs_json(n));
	json_object_set_new(o, "version_defs", json_text_array(n->version_defs, n->nversion_defs));
	json_object_set_new(o, "max_glibc", nullable(n->max_glibc));
	json_object_set_new(o, "max_glibc_symbols", json_text_array(n->max_glibc_symbols, n->nmax_glibc_symbols));
	json_object_set_new(o, "min_kernel", nullable(n->min_kernel));
	const char *isa = x86_isa_level_name(n->x86_isa_needed);
	json_object_set_new(o, "x86_isa_needed", isa ? json_string(isa) : json_null());
	json_object_set_new(o, "cet", json_pack("{s:b, s:b}", "ibt", n->ibt, "shstk", n->shstk));
	json_object_set_new(o, "exec_stack", n->exec_stack == TRI_UNKNOWN ? json_null()
					     : json_boolean(n->exec_stack == TRI_YES));
	json_object_set_new(o, "bind_now", json_boolean(n->bind_now));
	json_object_set_new(o, "nodeflib", json_boolean(n->nodeflib));
	json_object_set_new(o, "build_id", nullable(n->build_id));
	json_object_set_new(o, "go_build_id", nullable(n->go_build_id));
	json_object_set_new(o, "go_version", json_text(n->go.version));
	json_object_set_new(o, "go_version_source", n->go.version ? json_text(n->go.version_source) : json_null());
	json_object_set_new(o, "warnings", json_text_array((const char *const *)ef->warnings, ef->nwarnings));
	return o;
}
