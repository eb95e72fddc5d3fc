// A small in-memory ECR: repositories of images with tags, OCI manifests and config blobs, so the
// provider can pin a tag to its digest and read the revision label exactly as it does against AWS.
import { createHash } from 'node:crypto';
import { awsError } from '../testing/fake-ecs-model.js';

export interface StoredImage {
  readonly digest: string;
  readonly tags: string[];
  readonly pushedAt: Date;
  readonly manifest: string;
  readonly configDigest: string;
  readonly config: string;
}

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

type ImageId = { imageDigest?: string; imageTag?: string };

export class EcrModel {
  readonly repositories = new Map<string, StoredImage[]>();

  constructor(
    readonly registryId: string,
    /** Where GetDownloadUrlForLayer points: the stand-in's own blob route. */
    private readonly blobUrl: (repository: string, digest: string) => string,
  ) {}

  /** Pushes an image whose config carries the git revision label; moves the tags to it. */
  push(repository: string, image: { tags: string[]; revision: string; env?: string[] }): StoredImage {
    const config = JSON.stringify({
      architecture: 'arm64',
      os: 'linux',
      config: {
        Env: ['PATH=/usr/local/bin:/usr/bin:/bin', ...(image.env ?? [])],
        Labels: { 'org.opencontainers.image.revision': image.revision },
      },
    });
    const configDigest = sha256(config);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: sha256(`layer of ${image.revision}`),
          size: 31_457_280,
        },
      ],
    });
    const images = this.repositories.get(repository) ?? [];
    for (const other of images)
      other.tags.splice(0, other.tags.length, ...other.tags.filter((t) => !image.tags.includes(t)));
    const stored: StoredImage = {
      digest: sha256(manifest),
      tags: [...image.tags],
      pushedAt: new Date(),
      manifest,
      configDigest,
      config,
    };
    images.push(stored);
    this.repositories.set(repository, images);
    return stored;
  }

  blob(repository: string, digest: string): string | undefined {
    return this.repositories.get(repository)?.find((i) => i.configDigest === digest)?.config;
  }

  private repository(name: string | undefined): StoredImage[] {
    const images = this.repositories.get(name ?? '');
    if (!images)
      throw awsError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${this.registryId}'`,
      );
    return images;
  }

  private find(images: StoredImage[], id: ImageId): StoredImage | undefined {
    return images.find(
      (i) =>
        (id.imageDigest === undefined || i.digest === id.imageDigest) &&
        (id.imageTag === undefined || i.tags.includes(id.imageTag)),
    );
  }

  /** ECR operations by name. */
  readonly api = {
    DescribeImages: (input: { repositoryName?: string; imageIds?: ImageId[] }) => {
      const images = this.repository(input.repositoryName);
      const wanted: ImageId[] = input.imageIds ?? images.map((i) => ({ imageDigest: i.digest }));
      const found = wanted.map((id) => {
        const image = this.find(images, id);
        if (!image)
          throw awsError(
            'ImageNotFoundException',
            `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${input.repositoryName}'`,
          );
        return image;
      });
      return {
        imageDetails: found.map((i) => ({
          registryId: this.registryId,
          repositoryName: input.repositoryName,
          imageDigest: i.digest,
          imageTags: [...i.tags],
          imageSizeInBytes: 31_457_280,
          imagePushedAt: i.pushedAt,
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          artifactMediaType: 'application/vnd.oci.image.config.v1+json',
        })),
      };
    },
    BatchGetImage: (input: { repositoryName?: string; imageIds?: ImageId[] }) => {
      const images = this.repository(input.repositoryName);
      const hits: StoredImage[] = [];
      const failures: { imageId: ImageId; failureCode: string; failureReason: string }[] = [];
      for (const id of input.imageIds ?? []) {
        const image = this.find(images, id);
        if (image) hits.push(image);
        else failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
      }
      return {
        images: hits.map((i) => ({
          registryId: this.registryId,
          repositoryName: input.repositoryName,
          imageId: { imageDigest: i.digest, ...(i.tags[0] === undefined ? {} : { imageTag: i.tags[0] }) },
          imageManifest: i.manifest,
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        })),
        failures,
      };
    },
    GetDownloadUrlForLayer: (input: { repositoryName?: string; layerDigest?: string }) => {
      const name = input.repositoryName ?? '';
      this.repository(name);
      const digest = input.layerDigest ?? '';
      if (this.blob(name, digest) === undefined)
        throw awsError('LayersNotFoundException', `The layer ${digest} does not exist in repository ${name}.`);
      return { downloadUrl: this.blobUrl(name, digest), layerDigest: digest };
    },
  };
}
