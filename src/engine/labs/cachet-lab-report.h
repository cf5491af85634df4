/* cachet-lab-report.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-lab-patient.h"
#include "cachet-lab-result.h"

G_BEGIN_DECLS

/**
 * CachetLabFormat:
 * @CACHET_LAB_FORMAT_UNKNOWN: not a format Cachet reads
 * @CACHET_LAB_FORMAT_HPRIM_NET: HPRIM Net / Médecins text (Apicrypt)
 * @CACHET_LAB_FORMAT_HPRIM_SANTE: HPRIM Santé record file (`H|…`)
 * @CACHET_LAB_FORMAT_HL7V2: HL7 v2 ORU^R01
 * @CACHET_LAB_FORMAT_CDA: CDA R2 document (CR-BIO and others)
 * @CACHET_LAB_FORMAT_XDM: IHE XDM zip package
 * @CACHET_LAB_FORMAT_PDF: a PDF, kept with the report it comes with
 */
typedef enum
{
  CACHET_LAB_FORMAT_UNKNOWN,
  CACHET_LAB_FORMAT_HPRIM_NET,
  CACHET_LAB_FORMAT_HPRIM_SANTE,
  CACHET_LAB_FORMAT_HL7V2,
  CACHET_LAB_FORMAT_CDA,
  CACHET_LAB_FORMAT_XDM,
  CACHET_LAB_FORMAT_PDF,
} CachetLabFormat;

/**
 * CachetLabReportStatus:
 * @CACHET_LAB_REPORT_STATUS_FINAL: a complete report
 * @CACHET_LAB_REPORT_STATUS_PARTIAL: results are still to come
 * @CACHET_LAB_REPORT_STATUS_REPLACEMENT: corrects an earlier report
 * @CACHET_LAB_REPORT_STATUS_DELETION: withdraws an earlier report
 */
typedef enum
{
  CACHET_LAB_REPORT_STATUS_FINAL,
  CACHET_LAB_REPORT_STATUS_PARTIAL,
  CACHET_LAB_REPORT_STATUS_REPLACEMENT,
  CACHET_LAB_REPORT_STATUS_DELETION,
} CachetLabReportStatus;

#define CACHET_TYPE_LAB_REPORT (cachet_lab_report_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabReport, cachet_lab_report, CACHET, LAB_REPORT, GObject)

CachetLabReport       *cachet_lab_report_new                 (CachetLabFormat        format,
                                                              GBytes                *original,
                                                              const char            *charset);
CachetLabFormat        cachet_lab_report_get_format          (CachetLabReport       *self);
GBytes                *cachet_lab_report_get_original        (CachetLabReport       *self);
const char            *cachet_lab_report_get_charset         (CachetLabReport       *self);
CachetLabPatient      *cachet_lab_report_get_patient         (CachetLabReport       *self);
const char            *cachet_lab_report_get_lab             (CachetLabReport       *self);
void                   cachet_lab_report_set_lab             (CachetLabReport       *self,
                                                              const char            *lab);
const char            *cachet_lab_report_get_prescriber      (CachetLabReport       *self);
void                   cachet_lab_report_set_prescriber      (CachetLabReport       *self,
                                                              const char            *prescriber);
const char            *cachet_lab_report_get_sampling_date   (CachetLabReport       *self);
void                   cachet_lab_report_set_sampling_date   (CachetLabReport       *self,
                                                              const char            *date);
const char            *cachet_lab_report_get_report_date     (CachetLabReport       *self);
void                   cachet_lab_report_set_report_date     (CachetLabReport       *self,
                                                              const char            *date);
const char            *cachet_lab_report_get_report_id       (CachetLabReport       *self);
void                   cachet_lab_report_set_report_id       (CachetLabReport       *self,
                                                              const char            *report_id);
const char            *cachet_lab_report_get_set_id          (CachetLabReport       *self);
void                   cachet_lab_report_set_set_id          (CachetLabReport       *self,
                                                              const char            *set_id);
guint                  cachet_lab_report_get_version         (CachetLabReport       *self);
void                   cachet_lab_report_set_version         (CachetLabReport       *self,
                                                              guint                  version);
const char            *cachet_lab_report_get_replaces        (CachetLabReport       *self);
void                   cachet_lab_report_set_replaces        (CachetLabReport       *self,
                                                              const char            *report_id);
CachetLabReportStatus  cachet_lab_report_get_status          (CachetLabReport       *self);
void                   cachet_lab_report_set_status          (CachetLabReport       *self,
                                                              CachetLabReportStatus  status);
GListModel            *cachet_lab_report_get_results         (CachetLabReport       *self);
void                   cachet_lab_report_add_result          (CachetLabReport       *self,
                                                              CachetLabResult       *result);
const char            *cachet_lab_report_get_text            (CachetLabReport       *self);
void                   cachet_lab_report_append_text         (CachetLabReport       *self,
                                                              const char            *line);
GBytes                *cachet_lab_report_get_pdf             (CachetLabReport       *self);
void                   cachet_lab_report_set_pdf             (CachetLabReport       *self,
                                                              GBytes                *pdf);
void                   cachet_lab_report_take_results        (CachetLabReport       *self,
                                                              CachetLabReport       *other);
char                  *cachet_lab_report_dup_business_key    (CachetLabReport       *self);
char                  *cachet_lab_report_dup_results_digest  (CachetLabReport       *self);

const char            *cachet_lab_format_to_string           (CachetLabFormat        format);
const char            *cachet_lab_format_get_extension       (CachetLabFormat        format);

G_END_DECLS
