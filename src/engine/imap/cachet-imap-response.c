/* cachet-imap-response.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-response-private.h"
#include "cachet-imap-sequence-set.h"

G_DEFINE_BOXED_TYPE (CachetImapResponse, cachet_imap_response,
                     cachet_imap_response_ref, cachet_imap_response_unref)

/* Blocks grow with the response, so that a small response costs one small
 * block and a large one a few dozen; an allocation larger than a block gets a
 * block of its own. */
#define ARENA_FIRST_BLOCK_SIZE 1024
#define ARENA_MAX_BLOCK_SIZE   (256 * 1024)
#define ARENA_ALIGNMENT        8

struct _CachetImapArenaBlock
{
  CachetImapArenaBlock *next;
  gsize                 size;
  gsize                 used;
};

#define ARENA_HEADER_SIZE \
  ((sizeof (CachetImapArenaBlock) + ARENA_ALIGNMENT - 1) & ~(gsize) (ARENA_ALIGNMENT - 1))

CachetImapResponse *
_cachet_imap_response_new (void)
{
  CachetImapResponse *self = g_new0 (CachetImapResponse, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

static CachetImapArenaBlock *
arena_block_new (gsize size)
{
  CachetImapArenaBlock *block = g_malloc (ARENA_HEADER_SIZE + size);

  block->next = NULL;
  block->size = size;
  block->used = 0;
  return block;
}

gpointer
_cachet_imap_response_alloc (CachetImapResponse *self,
                             gsize               size)
{
  CachetImapArenaBlock *block = self->blocks;
  gpointer memory;

  size = (size + ARENA_ALIGNMENT - 1) & ~(gsize) (ARENA_ALIGNMENT - 1);

  if (block == NULL || block->size - block->used < size)
    {
      gsize next_size = block == NULL ? ARENA_FIRST_BLOCK_SIZE
                                      : MIN (block->size * 2, ARENA_MAX_BLOCK_SIZE);

      if (size > next_size && block != NULL)
        {
          /* A large string gets its own block, behind the current one, which
           * stays open for the small values around it. */
          CachetImapArenaBlock *own = arena_block_new (size);

          own->next = block->next;
          block->next = own;
          own->used = size;
          return (char *) own + ARENA_HEADER_SIZE;
        }

      block = arena_block_new (MAX (size, next_size));
      block->next = self->blocks;
      self->blocks = block;
    }

  memory = (char *) block + ARENA_HEADER_SIZE + block->used;
  block->used += size;
  return memory;
}

char *
_cachet_imap_response_strndup (CachetImapResponse *self,
                               const char         *str,
                               gsize               length)
{
  char *copy = _cachet_imap_response_alloc (self, length + 1);

  memcpy (copy, str, length);
  copy[length] = '\0';
  return copy;
}

CachetImapValue *
_cachet_imap_response_new_value (CachetImapResponse  *self,
                                 CachetImapValueType  type)
{
  CachetImapValue *value = _cachet_imap_response_alloc (self, sizeof (CachetImapValue));

  memset (value, 0, sizeof *value);
  value->type = type;
  return value;
}

/* @bytes must be followed in memory by a NUL, so that the data can be handed
 * out as a string. */
void
_cachet_imap_response_take_literal (CachetImapResponse *self,
                                    CachetImapValue    *value,
                                    GBytes             *bytes)
{
  gsize length;

  if (self->literals == NULL)
    self->literals = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (self->literals, bytes);

  value->bytes = bytes;
  value->str = g_bytes_get_data (bytes, &length);
  value->length = length;
  /* GBytes may give no pointer at all for an empty literal. */
  if (length == 0)
    value->str = "";
  value->has_nul = length > 0 && memchr (value->str, '\0', length) != NULL;
}

/**
 * cachet_imap_response_ref:
 * @self: a #CachetImapResponse
 *
 * Returns: (transfer full): @self
 */
CachetImapResponse *
cachet_imap_response_ref (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * cachet_imap_response_unref:
 * @self: (transfer full): a #CachetImapResponse
 *
 * Drops a reference; the last one frees the response and all its values.
 */
void
cachet_imap_response_unref (CachetImapResponse *self)
{
  CachetImapArenaBlock *block;

  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->literals, g_ptr_array_unref);
  block = self->blocks;
  while (block != NULL)
    {
      CachetImapArenaBlock *next = block->next;

      g_free (block);
      block = next;
    }
  g_free (self);
}

/**
 * cachet_imap_value_get_value_type:
 * @value: a #CachetImapValue
 *
 * Returns: what @value is
 */
CachetImapValueType
cachet_imap_value_get_value_type (const CachetImapValue *value)
{
  g_return_val_if_fail (value != NULL, CACHET_IMAP_VALUE_NIL);

  return value->type;
}

/**
 * cachet_imap_value_get_atom:
 * @value: a #CachetImapValue
 *
 * Returns: (nullable): the text of an atom, or %NULL if @value is no atom
 */
const char *
cachet_imap_value_get_atom (const CachetImapValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return value->type == CACHET_IMAP_VALUE_ATOM ? value->str : NULL;
}

/**
 * cachet_imap_value_get_number:
 * @value: a #CachetImapValue
 * @number: (out) (optional): where to store the number
 *
 * Returns: %TRUE if @value is a number
 */
gboolean
cachet_imap_value_get_number (const CachetImapValue *value,
                              guint64               *number)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (value->type != CACHET_IMAP_VALUE_NUMBER)
    return FALSE;
  if (number != NULL)
    *number = value->number;
  return TRUE;
}

/**
 * cachet_imap_value_get_string:
 * @value: a #CachetImapValue
 * @length: (out) (optional): where to store the length in bytes
 *
 * Gets the text of an atom, number, quoted string or literal: whatever the
 * grammar calls an astring or a non-NIL nstring. The text is not guaranteed
 * to be UTF-8.
 *
 * Returns: (nullable): the NUL-terminated text, or %NULL for NIL, lists,
 *   sections and literals that contain a NUL byte (use
 *   cachet_imap_value_dup_bytes() for those)
 */
const char *
cachet_imap_value_get_string (const CachetImapValue *value,
                              gsize                 *length)
{
  g_return_val_if_fail (value != NULL, NULL);

  switch (value->type)
    {
    case CACHET_IMAP_VALUE_ATOM:
    case CACHET_IMAP_VALUE_NUMBER:
    case CACHET_IMAP_VALUE_QUOTED:
      break;
    case CACHET_IMAP_VALUE_LITERAL:
      if (value->has_nul)
        return NULL;
      break;
    case CACHET_IMAP_VALUE_NIL:
    case CACHET_IMAP_VALUE_LIST:
    case CACHET_IMAP_VALUE_SECTION:
    default:
      return NULL;
    }

  if (length != NULL)
    *length = value->length;
  return value->str;
}

/**
 * cachet_imap_value_dup_bytes:
 * @value: a #CachetImapValue
 *
 * Gets the bytes of an atom, number, quoted string or literal. For a literal
 * this is the literal itself, not a copy.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL for NIL, lists
 *   and sections
 */
GBytes *
cachet_imap_value_dup_bytes (const CachetImapValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  switch (value->type)
    {
    case CACHET_IMAP_VALUE_LITERAL:
      return g_bytes_ref (value->bytes);
    case CACHET_IMAP_VALUE_ATOM:
    case CACHET_IMAP_VALUE_NUMBER:
    case CACHET_IMAP_VALUE_QUOTED:
      return g_bytes_new (value->str, value->length);
    case CACHET_IMAP_VALUE_NIL:
    case CACHET_IMAP_VALUE_LIST:
    case CACHET_IMAP_VALUE_SECTION:
    default:
      return NULL;
    }
}

/**
 * cachet_imap_value_is_nil:
 * @value: a #CachetImapValue
 *
 * Returns: %TRUE if @value is NIL
 */
gboolean
cachet_imap_value_is_nil (const CachetImapValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return value->type == CACHET_IMAP_VALUE_NIL;
}

/**
 * cachet_imap_value_get_n_children:
 * @value: a #CachetImapValue
 *
 * Returns: the number of elements of a list or of a section's specification,
 *   0 for other values
 */
guint
cachet_imap_value_get_n_children (const CachetImapValue *value)
{
  g_return_val_if_fail (value != NULL, 0);

  return value->n_children;
}

/**
 * cachet_imap_value_get_child:
 * @value: a list or section #CachetImapValue
 * @index: an index below cachet_imap_value_get_n_children()
 *
 * Returns: (transfer none): the element at @index
 */
const CachetImapValue *
cachet_imap_value_get_child (const CachetImapValue *value,
                             guint                  index)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (index < value->n_children, NULL);

  return value->children[index];
}

/**
 * cachet_imap_value_get_section_key:
 * @value: a #CachetImapValue
 *
 * Gets the name of a FETCH item with a section in canonical form: upper
 * case, single spaces, quotes dropped, origin left out. The server's
 * `BODY[header.fields ("From" "To")]<0>` becomes `BODY[HEADER.FIELDS (FROM TO)]`.
 *
 * Returns: (nullable): the key, or %NULL if @value is no section
 */
const char *
cachet_imap_value_get_section_key (const CachetImapValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return value->type == CACHET_IMAP_VALUE_SECTION ? value->str : NULL;
}

/**
 * cachet_imap_value_get_section_origin:
 * @value: a #CachetImapValue
 * @origin: (out) (optional): where to store the origin
 *
 * Gets the origin of a partial FETCH result, the 0 of `BODY[]<0>`.
 *
 * Returns: %TRUE if @value is a section with an origin
 */
gboolean
cachet_imap_value_get_section_origin (const CachetImapValue *value,
                                      guint64               *origin)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (value->type != CACHET_IMAP_VALUE_SECTION || !value->has_origin)
    return FALSE;
  if (origin != NULL)
    *origin = value->number;
  return TRUE;
}

/**
 * cachet_imap_response_get_response_type:
 * @self: a #CachetImapResponse
 *
 * Returns: what the response is
 */
CachetImapResponseType
cachet_imap_response_get_response_type (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, CACHET_IMAP_RESPONSE_OTHER);

  return self->type;
}

/**
 * cachet_imap_response_get_tag:
 * @self: a #CachetImapResponse
 *
 * Returns: (nullable): the tag of a tagged response, %NULL for untagged
 *   responses and continuation requests
 */
const char *
cachet_imap_response_get_tag (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tag;
}

/**
 * cachet_imap_response_get_name:
 * @self: a #CachetImapResponse
 *
 * Returns: (nullable): the response name in upper case ("OK", "FETCH",
 *   "NAMESPACE"…), %NULL for a continuation request
 */
const char *
cachet_imap_response_get_name (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

/**
 * cachet_imap_response_get_status:
 * @self: a #CachetImapResponse
 *
 * Returns: the condition of a status response, or
 *   %CACHET_IMAP_STATUS_NONE for other responses
 */
CachetImapStatus
cachet_imap_response_get_status (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, CACHET_IMAP_STATUS_NONE);

  return self->status;
}

/**
 * cachet_imap_response_get_number:
 * @self: a #CachetImapResponse
 * @number: (out) (optional): where to store the number
 *
 * Gets the number in front of the name, as in `* 23 EXISTS` or the
 * sequence number of `* 4 FETCH (…)`.
 *
 * Returns: %TRUE if the response has one
 */
gboolean
cachet_imap_response_get_number (CachetImapResponse *self,
                                 guint64            *number)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->has_number)
    return FALSE;
  if (number != NULL)
    *number = self->number;
  return TRUE;
}

/**
 * cachet_imap_response_get_text:
 * @self: a #CachetImapResponse
 *
 * Gets the human-readable text of a status response, or the text (or base64
 * challenge) of a continuation request. Bytes that are not UTF-8 have been
 * replaced, but the text is still the server's: escape it before showing it.
 *
 * Returns: (nullable): the text, possibly empty, or %NULL for data responses
 */
const char *
cachet_imap_response_get_text (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

/**
 * cachet_imap_response_get_data:
 * @self: a #CachetImapResponse
 *
 * Gets everything after the name of a data response, as one list: for
 * `* 4 FETCH (UID 9)`, a list holding the list `(UID 9)`.
 *
 * Returns: (nullable): the data, or %NULL for status responses and
 *   continuation requests
 */
const CachetImapValue *
cachet_imap_response_get_data (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

/**
 * cachet_imap_response_get_code:
 * @self: a #CachetImapResponse
 *
 * Returns: the response code of a status response
 */
CachetImapResponseCode
cachet_imap_response_get_code (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, CACHET_IMAP_RESPONSE_CODE_NONE);

  return self->code;
}

/**
 * cachet_imap_response_get_code_name:
 * @self: a #CachetImapResponse
 *
 * Returns: (nullable): the response code's name in upper case, %NULL if
 *   there is no code
 */
const char *
cachet_imap_response_get_code_name (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code_name;
}

/**
 * cachet_imap_response_get_code_arguments:
 * @self: a #CachetImapResponse
 *
 * Returns: (nullable): the checked arguments of a response code whose syntax
 *   is known (see #CachetImapResponseCode), as a list, possibly empty;
 *   %NULL for other codes
 */
const CachetImapValue *
cachet_imap_response_get_code_arguments (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code_args;
}

/**
 * cachet_imap_response_get_code_text:
 * @self: a #CachetImapResponse
 *
 * Returns: (nullable): the raw arguments of a response code whose syntax is
 *   not known, as in `[REFERRAL imap://…]`, made valid UTF-8; %NULL if it
 *   had none or if they were parsed
 */
const char *
cachet_imap_response_get_code_text (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code_text;
}

/**
 * cachet_imap_response_get_code_number:
 * @self: a #CachetImapResponse
 * @number: (out) (optional): where to store the number
 *
 * Gets the number of UIDNEXT, UIDVALIDITY, UNSEEN or HIGHESTMODSEQ, or the
 * UIDVALIDITY of APPENDUID and COPYUID.
 *
 * Returns: %TRUE if the code has such a number
 */
gboolean
cachet_imap_response_get_code_number (CachetImapResponse *self,
                                      guint64            *number)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->code != CACHET_IMAP_RESPONSE_CODE_UIDNEXT &&
      self->code != CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY &&
      self->code != CACHET_IMAP_RESPONSE_CODE_UNSEEN &&
      self->code != CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ &&
      self->code != CACHET_IMAP_RESPONSE_CODE_APPENDUID &&
      self->code != CACHET_IMAP_RESPONSE_CODE_COPYUID)
    return FALSE;

  /* The parser checked that the first argument is a number. */
  return cachet_imap_value_get_number (self->code_args->children[0], number);
}

/**
 * cachet_imap_response_dup_code_uid_set:
 * @self: a #CachetImapResponse
 * @index: which argument of the code
 *
 * Gets a set of UIDs from a response code: argument 1 of APPENDUID (the new
 * messages), argument 1 or 2 of COPYUID (the source and destination
 * messages, in matching order), argument 0 of MODIFIED.
 *
 * Returns: (transfer full) (nullable) (element-type CachetImapRange): the
 *   ranges, or %NULL if that argument is no set
 */
GArray *
cachet_imap_response_dup_code_uid_set (CachetImapResponse *self,
                                       guint               index)
{
  const CachetImapValue *arg;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->code != CACHET_IMAP_RESPONSE_CODE_APPENDUID &&
      self->code != CACHET_IMAP_RESPONSE_CODE_COPYUID &&
      self->code != CACHET_IMAP_RESPONSE_CODE_MODIFIED)
    return NULL;
  /* Argument 0 of APPENDUID and COPYUID is the UIDVALIDITY, not a set. */
  if (index >= self->code_args->n_children ||
      (index == 0 && self->code != CACHET_IMAP_RESPONSE_CODE_MODIFIED))
    return NULL;

  arg = self->code_args->children[index];
  if (arg->type != CACHET_IMAP_VALUE_ATOM && arg->type != CACHET_IMAP_VALUE_NUMBER)
    return NULL;
  /* Checked when parsed: this cannot fail. */
  return cachet_imap_sequence_set_parse (arg->str, NULL);
}

static char **
dup_words (const CachetImapValue *list,
           guint                  first,
           gboolean               upper)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = first; i < list->n_children; i++)
    {
      const CachetImapValue *child = list->children[i];

      if (child->type != CACHET_IMAP_VALUE_ATOM && child->type != CACHET_IMAP_VALUE_NUMBER)
        continue;
      if (upper)
        {
          g_autofree char *word = g_ascii_strup (child->str, (gssize) child->length);

          g_strv_builder_add (builder, word);
        }
      else
        {
          g_strv_builder_add (builder, child->str);
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * cachet_imap_response_dup_capabilities:
 * @self: a #CachetImapResponse
 *
 * Gets the capabilities of a CAPABILITY or ENABLED response, or of a
 * CAPABILITY response code, in upper case.
 *
 * Returns: (transfer full) (nullable): the capabilities, possibly none, or
 *   %NULL if the response carries no capability list
 */
char **
cachet_imap_response_dup_capabilities (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->type == CACHET_IMAP_RESPONSE_CAPABILITY || self->type == CACHET_IMAP_RESPONSE_ENABLED)
    return dup_words (self->data, 0, TRUE);
  if (self->code == CACHET_IMAP_RESPONSE_CODE_CAPABILITY)
    return dup_words (self->code_args, 0, TRUE);
  return NULL;
}

/**
 * cachet_imap_response_dup_flags:
 * @self: a #CachetImapResponse
 *
 * Gets the flags of a FLAGS response, of the FLAGS item of a FETCH response,
 * or of a PERMANENTFLAGS response code, as the server spelled them.
 *
 * Returns: (transfer full) (nullable): the flags, possibly none, or %NULL if
 *   the response carries no flags
 */
char **
cachet_imap_response_dup_flags (CachetImapResponse *self)
{
  const CachetImapValue *flags = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->type == CACHET_IMAP_RESPONSE_FLAGS)
    flags = self->data->children[0];
  else if (self->type == CACHET_IMAP_RESPONSE_FETCH)
    flags = cachet_imap_response_get_fetch_attribute (self, "FLAGS");
  else if (self->code == CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS)
    flags = self->code_args->children[0];

  return flags != NULL ? dup_words (flags, 0, FALSE) : NULL;
}

/**
 * cachet_imap_response_get_fetch_attribute:
 * @self: a #CachetImapResponse
 * @name: an item name such as "UID", "ENVELOPE" or "BODY[HEADER]", in any case
 *
 * Looks up an item of a FETCH response. Items with a section are found by
 * their canonical key (see cachet_imap_value_get_section_key()); note that
 * servers answer BODY.PEEK[…] with BODY[…].
 *
 * Returns: (transfer none) (nullable): the item's value, or %NULL if absent
 */
const CachetImapValue *
cachet_imap_response_get_fetch_attribute (CachetImapResponse *self,
                                          const char         *name)
{
  const CachetImapValue *items;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->type != CACHET_IMAP_RESPONSE_FETCH)
    return NULL;

  /* The parser checked the shape: one list of name and value pairs. */
  items = self->data->children[0];
  for (guint i = 0; i + 1 < items->n_children; i += 2)
    {
      if (g_ascii_strcasecmp (items->children[i]->str, name) == 0)
        return items->children[i + 1];
    }

  return NULL;
}

/**
 * cachet_imap_response_get_fetch_number:
 * @self: a #CachetImapResponse
 * @name: "UID", "RFC822.SIZE", "MODSEQ", "BINARY.SIZE[1]"…
 * @number: (out) (optional): where to store the number
 *
 * Gets a numeric item of a FETCH response. MODSEQ, which comes as a list of
 * one number, is handled too.
 *
 * Returns: %TRUE if the item is present and a number
 */
gboolean
cachet_imap_response_get_fetch_number (CachetImapResponse *self,
                                       const char         *name,
                                       guint64            *number)
{
  const CachetImapValue *value;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  value = cachet_imap_response_get_fetch_attribute (self, name);
  if (value == NULL)
    return FALSE;
  if (value->type == CACHET_IMAP_VALUE_LIST && value->n_children == 1)
    value = value->children[0];
  return cachet_imap_value_get_number (value, number);
}

/**
 * cachet_imap_response_dup_mailbox_attributes:
 * @self: a #CachetImapResponse
 *
 * Returns: (transfer full) (nullable): the attributes of a LIST or LSUB
 *   response (`\HasNoChildren`, `\Sent`…), or %NULL for other responses
 */
char **
cachet_imap_response_dup_mailbox_attributes (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->type != CACHET_IMAP_RESPONSE_LIST && self->type != CACHET_IMAP_RESPONSE_LSUB)
    return NULL;
  return dup_words (self->data->children[0], 0, FALSE);
}

/**
 * cachet_imap_response_get_mailbox_delimiter:
 * @self: a #CachetImapResponse
 *
 * Returns: the hierarchy delimiter of a LIST or LSUB response, or `'\0'` if
 *   the server said NIL or "" (a flat namespace) or for other responses
 */
char
cachet_imap_response_get_mailbox_delimiter (CachetImapResponse *self)
{
  const CachetImapValue *delimiter;

  g_return_val_if_fail (self != NULL, '\0');

  if (self->type != CACHET_IMAP_RESPONSE_LIST && self->type != CACHET_IMAP_RESPONSE_LSUB)
    return '\0';
  delimiter = self->data->children[1];
  return delimiter->type == CACHET_IMAP_VALUE_QUOTED ? delimiter->str[0] : '\0';
}

/**
 * cachet_imap_response_get_mailbox:
 * @self: a #CachetImapResponse
 *
 * Gets the mailbox name of a LIST, LSUB or STATUS response as it was on the
 * wire: modified UTF-7 unless UTF8=ACCEPT is enabled (see
 * cachet_imap_utf7_decode()).
 *
 * Returns: (nullable): the name, or %NULL for other responses
 */
const char *
cachet_imap_response_get_mailbox (CachetImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->type == CACHET_IMAP_RESPONSE_LIST || self->type == CACHET_IMAP_RESPONSE_LSUB)
    return self->data->children[2]->str;
  if (self->type == CACHET_IMAP_RESPONSE_MAILBOX_STATUS)
    return self->data->children[0]->str;
  return NULL;
}

/**
 * cachet_imap_response_get_status_item:
 * @self: a #CachetImapResponse
 * @name: "MESSAGES", "UIDNEXT", "HIGHESTMODSEQ"…, in any case
 * @number: (out) (optional): where to store the value
 *
 * Looks up a numeric item of a STATUS response.
 *
 * Returns: %TRUE if the item is present and a number
 */
gboolean
cachet_imap_response_get_status_item (CachetImapResponse *self,
                                      const char         *name,
                                      guint64            *number)
{
  const CachetImapValue *items;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (self->type != CACHET_IMAP_RESPONSE_MAILBOX_STATUS)
    return FALSE;

  items = self->data->children[1];
  for (guint i = 0; i + 1 < items->n_children; i += 2)
    {
      if (g_ascii_strcasecmp (items->children[i]->str, name) == 0)
        return cachet_imap_value_get_number (items->children[i + 1], number);
    }

  return FALSE;
}

/**
 * cachet_imap_response_dup_search_results:
 * @self: a #CachetImapResponse
 *
 * Returns: (transfer full) (nullable) (element-type guint32): the numbers of
 *   a SEARCH response, possibly none, or %NULL for other responses. A
 *   CONDSTORE `(MODSEQ n)` suffix is left in the data.
 */
GArray *
cachet_imap_response_dup_search_results (CachetImapResponse *self)
{
  GArray *results;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->type != CACHET_IMAP_RESPONSE_SEARCH)
    return NULL;

  results = g_array_sized_new (FALSE, FALSE, sizeof (guint32), self->data->n_children);
  for (guint i = 0; i < self->data->n_children; i++)
    {
      const CachetImapValue *child = self->data->children[i];
      guint32 number;

      if (child->type != CACHET_IMAP_VALUE_NUMBER)
        continue;
      /* Range checked by the parser. */
      number = (guint32) child->number;
      g_array_append_val (results, number);
    }

  return results;
}

/**
 * cachet_imap_response_dup_vanished:
 * @self: a #CachetImapResponse
 * @earlier: (out) (optional): whether this is a VANISHED (EARLIER) answer to
 *   a FETCH or SELECT, rather than news of an expunge
 *
 * Returns: (transfer full) (nullable) (element-type CachetImapRange): the
 *   UIDs of a VANISHED response, or %NULL for other responses
 */
GArray *
cachet_imap_response_dup_vanished (CachetImapResponse *self,
                                   gboolean           *earlier)
{
  const CachetImapValue *set;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->type != CACHET_IMAP_RESPONSE_VANISHED)
    return NULL;

  /* Checked when parsed: an optional (EARLIER), then one set. */
  set = self->data->children[self->data->n_children - 1];
  if (earlier != NULL)
    *earlier = self->data->n_children == 2;
  return cachet_imap_sequence_set_parse (set->str, NULL);
}
