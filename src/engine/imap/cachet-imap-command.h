/* cachet-imap-command.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetImapCommandFlags:
 * @CACHET_IMAP_COMMAND_FLAGS_NONE: plain IMAP4rev1 / IMAP4rev2
 * @CACHET_IMAP_COMMAND_LITERAL_PLUS: the server offers LITERAL+: every
 *   literal is sent non-synchronising ({n+}), without waiting
 * @CACHET_IMAP_COMMAND_LITERAL_MINUS: the server offers LITERAL-: literals
 *   of up to 4096 bytes are sent non-synchronising
 * @CACHET_IMAP_COMMAND_UTF8_ACCEPT: UTF8=ACCEPT is enabled: mailbox names go
 *   out as UTF-8 rather than modified UTF-7, and strings may be quoted UTF-8
 *
 * What the session knows of the server, which changes how arguments are
 * written.
 */
typedef enum
{
  CACHET_IMAP_COMMAND_FLAGS_NONE = 0,
  CACHET_IMAP_COMMAND_LITERAL_PLUS = 1 << 0,
  CACHET_IMAP_COMMAND_LITERAL_MINUS = 1 << 1,
  CACHET_IMAP_COMMAND_UTF8_ACCEPT = 1 << 2,
} CachetImapCommandFlags;

#define CACHET_TYPE_IMAP_COMMAND (cachet_imap_command_get_type ())

G_DECLARE_FINAL_TYPE (CachetImapCommand, cachet_imap_command, CACHET, IMAP_COMMAND, GObject)

CachetImapCommand *cachet_imap_command_new                 (const char              *tag,
                                                            const char              *name,
                                                            CachetImapCommandFlags   flags);
const char        *cachet_imap_command_get_tag             (CachetImapCommand       *self);
gboolean           cachet_imap_command_add_atom            (CachetImapCommand       *self,
                                                            const char              *atom,
                                                            GError                 **error);
void               cachet_imap_command_add_number          (CachetImapCommand       *self,
                                                            guint64                  number);
gboolean           cachet_imap_command_add_sequence_set    (CachetImapCommand       *self,
                                                            const guint32           *numbers,
                                                            gsize                    n_numbers,
                                                            GError                 **error);
void               cachet_imap_command_add_string          (CachetImapCommand       *self,
                                                            const char              *string);
gboolean           cachet_imap_command_add_quoted          (CachetImapCommand       *self,
                                                            const char              *string,
                                                            GError                 **error);
gboolean           cachet_imap_command_add_literal         (CachetImapCommand       *self,
                                                            GBytes                  *bytes,
                                                            GError                 **error);
gboolean           cachet_imap_command_add_mailbox         (CachetImapCommand       *self,
                                                            const char              *mailbox,
                                                            GError                 **error);
gboolean           cachet_imap_command_add_fetch_attribute (CachetImapCommand       *self,
                                                            const char              *attribute,
                                                            GError                 **error);
void               cachet_imap_command_begin_list          (CachetImapCommand       *self);
void               cachet_imap_command_end_list            (CachetImapCommand       *self);
void               cachet_imap_command_end                 (CachetImapCommand       *self);
guint              cachet_imap_command_get_n_parts         (CachetImapCommand       *self);
GBytes            *cachet_imap_command_get_part            (CachetImapCommand       *self,
                                                            guint                    index,
                                                            gboolean                *must_wait);
char              *cachet_imap_command_to_string           (CachetImapCommand       *self);

G_END_DECLS
