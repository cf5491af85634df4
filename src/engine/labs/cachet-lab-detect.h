/* cachet-lab-detect.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "cachet-lab-report.h"

G_BEGIN_DECLS

/**
 * CachetLabCandidate:
 * @file_name: the attachment's name, or `message.txt` for a body part
 * @bytes: the part's content, transfer encoding removed, otherwise as sent
 * @format: the format detected from the bytes
 * @part_index: the part's position in cachet_mime_walk() order, for
 *   cachet_mime_find_part()
 *
 * A part of a message that holds a lab result, or the PDF that renders one.
 */
typedef struct
{
  char            *file_name;
  GBytes          *bytes;
  CachetLabFormat  format;
  guint            part_index;
} CachetLabCandidate;

#define CACHET_TYPE_LAB_CANDIDATE (cachet_lab_candidate_get_type ())

GType               cachet_lab_candidate_get_type  (void) G_GNUC_CONST;
CachetLabCandidate *cachet_lab_candidate_copy      (const CachetLabCandidate *candidate);
void                cachet_lab_candidate_free      (CachetLabCandidate       *candidate);

GPtrArray          *cachet_lab_find_in_message     (GMimeMessage             *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetLabCandidate, cachet_lab_candidate_free)

G_END_DECLS
